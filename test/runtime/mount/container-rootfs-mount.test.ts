// @userns
// `mount`/`unmount` of a container as the rootless user: refused outside `tspod unshare` in
// Podman's words; inside it the root is mounted, counted, unmounted at zero or with -f; `rm`
// of a mounted container unmounts it; a later session sees no stale mount.
import test from 'ava'

import {sandboxWithImages} from '../../helpers/image-sandbox'
import {TSPOD_BIN, tspod} from '../../helpers/rootless'

/** A shell script run in one `tspod unshare` session, with $T the CLI. */
function inSession(script: string): string[] {
  return ['unshare', 'sh', '-c', `T="${process.execPath} -- ${TSPOD_BIN}"; ${script}`]
}

test('mount is refused outside unshare; unmount of a container not mounted prints its name', async (t) => {
  const box = await sandboxWithImages(t)
  t.is((await tspod(box, ['create', '--name', 'c1', 'localhost/busybox', 'true'])).code, 0)
  for (const args of [['mount', 'c1'], ['mount'], ['container', 'mount', '--all']]) {
    const r = await tspod(box, args)
    t.is(r.code, 125, args.join(' '))
    t.regex(r.stderr, /^Error: cannot run command "\S+ (container )?mount" in rootless mode, must execute `\S+ unshare` first\n$/)
  }
  const u = await tspod(box, ['umount', 'c1'])
  t.is(u.code, 0, u.stderr)
  t.is(u.stdout, 'c1\n')
  const missing = await tspod(box, ['unmount', 'nosuch'])
  t.is(missing.code, 125)
  t.is(missing.stderr, 'Error: no container with name or ID "nosuch" found: no such container\n')
})

test('in one unshare session: the root is mounted and counted, unmounted at zero or forced; rm unmounts', async (t) => {
  const box = await sandboxWithImages(t)
  const created = await tspod(box, ['create', '--name', 'c1', 'localhost/busybox', 'true'])
  t.is(created.code, 0, created.stderr)
  const id = created.stdout.trim()
  const script = [
    'p=$($T mount c1)',
    '$T mount c1 >/dev/null',
    'test -x "$p/bin/busybox" && echo readable',
    '$T mount --no-trunc',
    '$T mount',
    '$T mount --format json | tr -d " \\n"; echo',
    '$T unmount c1',
    'grep -c " $p " /proc/self/mountinfo',
    '$T umount c1 >/dev/null',
    'grep -c " $p " /proc/self/mountinfo',
    '$T mount c1 >/dev/null; $T mount c1 >/dev/null; $T umount -f c1 >/dev/null',
    'echo "after -f: $($T mount | wc -l)"',
    '$T mount c1 >/dev/null; $T rm c1 >/dev/null',
    'grep -c " $p " /proc/self/mountinfo',
    'echo "after rm: $($T mount | wc -l)"',
    '$T mount --format yaml',
    '$T mount -a c1',
    '$T mount -l c1',
    '$T unmount -l c1',
    '$T unmount -a c1',
  ].join('\n')
  const r = await tspod(box, inSession(script))
  const lines = r.stdout.split('\n')
  t.is(lines[0], 'readable', r.stderr)
  t.regex(lines[1], new RegExp(`^${id}  /.+/${id}/merged$`))
  t.regex(lines[2], new RegExp(`^${id.slice(0, 12)}  /.+/merged$`))
  t.regex(lines[3], new RegExp(`^\\[\\{"id":"${id}","Names":\\["c1"\\],"mountpoint":"/.+/merged"\\}\\]$`))
  t.is(lines[4], 'c1')
  t.is(lines[5], '1', 'still mounted after one of two unmounts')
  t.is(lines[6], '0', 'unmounted at zero')
  t.is(lines[7], 'after -f: 0')
  t.is(lines[8], '0', 'rm unmounted it')
  t.is(lines[9], 'after rm: 0')
  t.regex(r.stderr, /Error: unknown --format argument: "yaml"\nError: no arguments are needed with --all\nError: --latest and containers cannot be used together\nError: --latest and containers cannot be used together\nError: no arguments are needed with --all\n$/)
})

test('a mount ends with its unshare session: a later session lists nothing and rm works', async (t) => {
  const box = await sandboxWithImages(t)
  t.is((await tspod(box, ['create', '--name', 'c1', 'localhost/busybox', 'true'])).code, 0)
  const first = await tspod(box, inSession('$T mount c1 >/dev/null && $T mount | wc -l'))
  t.is(first.stdout, '1\n', first.stderr)
  const later = await tspod(box, inSession('$T mount --notruncate | wc -l; $T umount c1'))
  t.is(later.stdout, '0\nc1\n', later.stderr)
  t.is((await tspod(box, ['rm', 'c1'])).code, 0)
})
