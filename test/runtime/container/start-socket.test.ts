// The socket of an initialized container's `start`: the listener gets the connection, its answer
// reaches the caller; a dir without a listener is a one-line error; a long dir path still works
// (reached through /proc/self/fd).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {listenForStart, requestStart} from '../../../src/runtime/container/start-socket'

function tempDir(t: {teardown(fn: () => void): void}, deep = false): string {
  let dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-start-sock-'))
  const top = dir
  t.teardown(() => fs.rmSync(top, {recursive: true, force: true}))
  if (deep) {
    dir = path.join(dir, 'x'.repeat(60), 'y'.repeat(64))
    fs.mkdirSync(dir, {recursive: true})
  }
  return dir
}

test('start connects, the holder answers and the answer comes back; the socket is gone after close', async (t) => {
  const dir = tempDir(t, true)
  t.true(dir.length + '/start.sock'.length > 107, 'longer than a socket path may be')
  const listener = await listenForStart(dir)
  void listener.connection.then((socket) => socket.end(JSON.stringify({ok: true, warnings: []})))
  t.is(await requestStart(dir, 'abc'), '{"ok":true,"warnings":[]}')
  listener.close()
  t.false(fs.existsSync(path.join(dir, 'start.sock')))
})

test('no holder: the error says the monitor is gone', async (t) => {
  const dir = tempDir(t)
  await t.throwsAsync(requestStart(dir, 'abc'), {message: /the monitor holding initialized container abc is gone/})
})
