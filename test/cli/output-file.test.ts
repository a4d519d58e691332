// writeOutput and streamOutput: a command's output into the file -o/--file names, or onto stdout.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {PassThrough, Writable} from 'node:stream'

import {streamOutput, writeOutput} from '../../src/cli/output-file'

function tempDir(t: {teardown: (fn: () => void) => void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-file-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

function collect(stream: PassThrough): () => string {
  let text = ''
  stream.on('data', (d) => (text += d))
  return () => text
}

test('text goes into the file, replacing what it held, or onto stdout without a file', (t) => {
  const file = path.join(tempDir(t), 'script')
  fs.writeFileSync(file, 'older and longer content')
  const stdout = new PassThrough()
  const printed = collect(stdout)
  writeOutput(file, 'complete -F f tspod\n', stdout)
  t.is(fs.readFileSync(file, 'utf8'), 'complete -F f tspod\n')
  t.is(printed(), '')
  writeOutput(undefined, 'to stdout\n', stdout)
  t.is(printed(), 'to stdout\n')
})

test('a stream into the file is complete when streamOutput returns, whether or not the writer ended it', async (t) => {
  const dir = tempDir(t)
  const stdout = new PassThrough()
  const printed = collect(stdout)
  await streamOutput(path.join(dir, 'open.tar'), async (out) => {
    out.write('first ')
    out.write('second')
  }, stdout)
  t.is(fs.readFileSync(path.join(dir, 'open.tar'), 'utf8'), 'first second')
  await streamOutput(path.join(dir, 'ended.tar'), async (out) => void out.end('all of it'), stdout)
  t.is(fs.readFileSync(path.join(dir, 'ended.tar'), 'utf8'), 'all of it')
  t.is(printed(), '', 'nothing on stdout when a file is named')
})

test('without a file the writer gets stdout, which stays open', async (t) => {
  const stdout = new PassThrough()
  const printed = collect(stdout)
  await streamOutput(undefined, async (out) => void out.write('tar bytes'), stdout)
  t.is(printed(), 'tar bytes')
  t.false(stdout.writableEnded)
})

test("the writer's failure is passed on and the file closed", async (t) => {
  const file = path.join(tempDir(t), 'failed.tar')
  let stream: Writable | undefined
  await t.throwsAsync(
    streamOutput(file, async (out) => {
      stream = out
      throw new Error('no such container: nosuch')
    }),
    {message: 'no such container: nosuch'},
  )
  t.true(stream?.destroyed)
})

test('a file that cannot be opened fails the stream', async (t) => {
  const file = path.join(tempDir(t), 'missing-dir', 'out.tar')
  await t.throwsAsync(streamOutput(file, async (out) => void out.end('x')), {code: 'ENOENT'})
})
