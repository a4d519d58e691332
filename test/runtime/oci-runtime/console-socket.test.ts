// @userns
// The console socket an external runtime sends a -t container's pty master over: in a private
// dir of its own under the temp dir (a container's run dir is often too long for a unix socket
// path), removed with it; end to end, `run -td` with crun from a run root too deep for one.
import test from 'ava'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

import {listenConsoleSocket} from '../../../src/runtime/oci-runtime/console-socket'
import {sandboxWithImages} from '../../helpers/image-sandbox'
import {tspod} from '../../helpers/rootless'

test('the socket is console.sock in a new 0700 dir under the temp dir, 0600; removed once the runtime connects', async (t) => {
  const socket = await listenConsoleSocket()
  const dir = path.dirname(socket.path)
  t.is(path.basename(socket.path), 'console.sock')
  t.is(path.dirname(dir), os.tmpdir())
  t.regex(path.basename(dir), /^tspod-term\./)
  t.is(fs.statSync(dir).mode & 0o777, 0o700)
  t.is(fs.statSync(socket.path).mode & 0o777, 0o600)
  // a runtime that connects and closes without sending a terminal: the master is refused
  await new Promise<void>((resolve) => net.connect(socket.path, resolve).end())
  await t.throwsAsync(socket.master)
  // gone once the runtime has connected, before close
  t.false(fs.existsSync(dir))
  socket.close()
  t.false(fs.existsSync(dir))
})

test('a temp dir too deep for a unix socket path: refused in one line naming the path, nothing left', async (t) => {
  const deep = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-deep-')), 'x'.repeat(100))
  fs.mkdirSync(deep)
  t.teardown(() => fs.rmSync(path.dirname(deep), {recursive: true, force: true}))
  const err = await t.throwsAsync(listenConsoleSocket(deep))
  t.regex(err!.message, /^console socket path `.*\/console\.sock` is too long for a unix socket: set TMPDIR to a shorter dir$/)
  t.deepEqual(fs.readdirSync(deep), [])
})

test('run -td with crun from a deep run root: the terminal reaches the container, exec and rm work', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const runRoot = path.join(box.dir, 'r'.repeat(60))
  // a temp dir of this test's own: other tests' crun terminals come and go in /tmp meanwhile
  const tmp = path.join(box.dir, 'tmp')
  fs.mkdirSync(tmp)
  fs.chownSync(tmp, box.user.uid, box.user.gid)
  const run = await tspod(box, ['--runroot', runRoot, '--runtime', 'crun', 'run', '-td', 'busybox', 'sh'], {env: {TMPDIR: tmp}})
  t.is(run.code, 0, run.stderr)
  const id = run.stdout.trim()
  const tty = await tspod(box, ['--runroot', runRoot, 'exec', id, 'sh', '-c', 'readlink /proc/1/fd/0'])
  t.deepEqual([tty.code, tty.stdout, tty.stderr], [0, '/dev/pts/0\n', ''])
  t.deepEqual(fs.readdirSync(tmp), [], 'no socket dir left')
  const rm = await tspod(box, ['--runroot', runRoot, 'rm', '-f', '-t', '0', id])
  t.is(rm.code, 0, rm.stderr)
})
