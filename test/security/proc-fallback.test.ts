// Item 5 of issue 10: a container with a pid namespace of its own never gets the host's /proc.
// Nested in another container or sandbox, mounts cover parts of /proc (Podman and Docker bind
// /proc/sys read-only onto itself), and the kernel refuses a new proc instance in a user
// namespace (mount_too_revealing). The attack is mounted for real: as root, a private mount
// namespace where /proc/sys is bound read-only onto itself, then tspod as the rootless user in it.
import test from 'ava'
import {spawn, ChildProcess} from 'node:child_process'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {RunResult, Sandbox, TSPOD_BIN, lookupUser, runAs, tspod, userEnv} from '../helpers/rootless'

const root = lookupUser('root')

/** tspod as the sandbox's user, in a private mount namespace whose /proc/sys is covered as an outer container covers it. */
function tspodNested(box: Sandbox, args: string[]): Promise<RunResult> {
  const env = Object.entries(userEnv(box.user, box.env)).map(([k, v]) => `${k}=${v}`)
  const drop = ['setpriv', '--reuid', String(box.user.uid), '--regid', String(box.user.gid), '--init-groups', '--', 'env', '-i', ...env]
  const cover = 'mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys && exec "$@"'
  return runAs(root, ['unshare', '-m', '--propagation', 'private', 'sh', '-c', cover, 'sh', ...drop, process.execPath, TSPOD_BIN, ...args])
}

/** A host process with a unique command line, to look for from inside the container. */
function hostMarker(t: {teardown(fn: () => unknown): void}): {marker: string; child: ChildProcess} {
  const marker = `tspod-host-marker-${process.pid}-${Date.now()}`
  const child = spawn('sleep', ['600'], {argv0: marker, stdio: 'ignore'})
  t.teardown(() => child.kill('SIGKILL'))
  return {marker, child}
}

/**
 * Prints `seen` when a process whose command line holds the marker is visible in the container's
 * /proc. The marker is split in two, so that no command line in the container holds it whole.
 */
function lookFor(marker: string): string[] {
  const [a, b] = [marker.slice(0, 8), marker.slice(8)]
  const script = `a=${a}; b=${b}; for f in /proc/[0-9]*/cmdline; do case "$(cat "$f" 2>/dev/null)" in *"$a$b"*) echo seen; exit 0;; esac; done; echo unseen`
  return ['sh', '-c', script]
}

test('nested under a covered /proc, run is refused in one line (exit 125) instead of binding the host /proc', async (t) => {
  const box = await sandboxWithImages(t)
  const {marker} = hostMarker(t)
  const r = await tspodNested(box, ['run', '--rm', 'busybox', ...lookFor(marker)])
  t.false(r.stdout.includes('seen'), `the container ran and looked at the host's processes: ${r.stdout}`)
  t.is(r.code, 125, r.stderr)
  t.regex(r.stderr, /^Error: mount `proc` to `\/proc`: Operation not permitted: the kernel refuses a new \/proc in a user namespace while mounts cover parts of this one \([^)]*\/proc\/sys[^)]*\), as inside another container or sandbox; run tspod where \/proc is fully visible \(for an outer Podman container: --security-opt unmask=ALL\)\n$/)
  const ps = await tspod(box, ['ps', '-a', '--format', '{{.Status}}'])
  t.is(ps.code, 0, ps.stderr)
  t.is(ps.stdout, '', 'run --rm removed the container that could not start')
})

test('a normal run gets a proc instance of its own: no host process in it', async (t) => {
  const box = await sandboxWithImages(t)
  const {marker} = hostMarker(t)
  const r = await tspod(box, ['run', '--rm', 'busybox', 'sh', '-c', `${lookFor(marker)[2]}; grep ' /proc ' /proc/self/mountinfo | cut -d' ' -f9; ls -d /proc/[0-9]* | wc -l`])
  t.is(r.code, 0, r.stderr)
  const [seen, fstype, count] = r.stdout.trim().split('\n')
  t.is(seen, 'unseen')
  t.is(fstype, 'proc')
  t.true(Number(count) <= 4, `the container's own processes only: ${count}`)
})
