// The native addon's helpers that need no namespaces. runPrograms runs its programs at once (the
// first here only ends once the second has run: one at a time it would wait out its timeout),
// each with its stderr and status, in order; a program that cannot start is an error naming it.
// tryRecordLock takes fcntl locks that conflict between open file descriptions, as between processes.
// sendDatagram reaches a unix datagram socket (sd_notify's), by path or abstract name.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {native} from '../src/native'
import {listenForNotify} from './helpers/notify-listener'

test('runPrograms runs its programs at once and returns each one\'s status and stderr in order', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-run-programs-'))
  const flag = path.join(dir, 'second-ran')
  try {
    const results = native().runPrograms(
      [
        {file: '/bin/sh', argv: ['sh', '-c', `while [ ! -e ${flag} ]; do sleep 0.01; done; echo first >&2`]},
        {file: '/bin/sh', argv: ['sh', '-c', `touch ${flag}; echo second >&2; exit 3`]},
        {file: '/bin/sh', argv: ['sh', '-c', 'kill -TERM $$']},
      ],
      20_000,
    )
    t.deepEqual(results, [
      {code: 0, signal: null, stderr: 'first\n', timedOut: false},
      {code: 3, signal: null, stderr: 'second\n', timedOut: false},
      {code: null, signal: os.constants.signals.SIGTERM, stderr: '', timedOut: false},
    ])
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})

test('runPrograms kills a program that outlives its timeout; a missing program is an error naming it', (t) => {
  t.like(native().runPrograms([{file: '/bin/sleep', argv: ['sleep', '30']}], 50)[0], {code: null, signal: os.constants.signals.SIGKILL, timedOut: true})
  const err = t.throws(() => native().runPrograms([{file: '/nonexistent/newuidmap', argv: ['newuidmap']}], 1000))
  t.like(err as object, {code: 'ENOENT', path: '/nonexistent/newuidmap'})
})

test('tryRecordLock: fcntl record locks of open file descriptions: exclusive against any other, shared with shared', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-recordlock-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'layers.lock')
  const [a, b] = [fs.openSync(file, 'w+'), fs.openSync(file, 'r+')]
  t.teardown(() => [a, b].forEach((fd) => fs.closeSync(fd)))
  t.true(native().tryRecordLock(a, 'exclusive'))
  t.false(native().tryRecordLock(b, 'exclusive'))
  t.false(native().tryRecordLock(b, 'shared'))
  t.true(native().tryRecordLock(a, 'unlock'))
  t.true(native().tryRecordLock(b, 'shared'))
  t.true(native().tryRecordLock(a, 'shared'))
  t.false(native().tryRecordLock(a, 'exclusive'))
  t.throws(() => native().tryRecordLock(a, 'both' as 'shared'), {instanceOf: TypeError})
})

test('sendDatagram sends one datagram to a unix datagram socket; a missing socket is an error naming it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-datagram-'))
  const listener = await listenForNotify(dir)
  try {
    native().sendDatagram(listener.socketPath, 'MAINPID=42\nREADY=1')
    native().sendDatagram(listener.socketPath, Buffer.from('STATUS=two'))
    t.deepEqual(await listener.waitFor(2), ['MAINPID=42\nREADY=1', 'STATUS=two'])
    const err = t.throws(() => native().sendDatagram(path.join(dir, 'missing.sock'), 'READY=1'))
    t.like(err as object, {code: 'ENOENT', path: path.join(dir, 'missing.sock')})
  } finally {
    listener.close()
    fs.rmSync(dir, {recursive: true, force: true})
  }
})
