// A program as a stream: its stdout is what comes out, with backpressure; its failure is the
// caller's error, made from its stderr and exit code.
import test from 'ava'
import {Readable} from 'node:stream'
import {buffer} from 'node:stream/consumers'

import {ProgramTransform, findProgram} from '../../../../src/storage/store/archive/program-stream'

test('findProgram finds a program on PATH, null for none', (t) => {
  t.is(findProgram('sh'), '/usr/bin/sh')
  t.is(findProgram('no-such-program-here'), null)
})

test('bytes go through the program, more than a pipe holds', async (t) => {
  const input = Buffer.alloc(4 << 20, 'x')
  const out = await buffer(Readable.from([input.subarray(0, 1 << 20), input.subarray(1 << 20)]).pipe(new ProgramTransform('/usr/bin/tr', ['x', 'y'], () => new Error('unexpected'))))
  t.is(out.length, input.length)
  t.true(out.every((b) => b === 0x79))
})

test('a failing program is an error made from its stderr and status', async (t) => {
  const failing = new ProgramTransform('/bin/sh', ['-c', 'cat >/dev/null; echo "broken input" >&2; exit 3'], (stderr, code) => new Error(`${stderr.trim()} (${code})`))
  await t.throwsAsync(buffer(Readable.from([Buffer.from('data')]).pipe(failing)), {message: 'broken input (3)'})
})
