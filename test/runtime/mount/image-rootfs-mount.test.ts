// @userns
// `image mount`/`image unmount` as the rootless user: refused outside `tspod unshare`; inside it
// a read-only root of the image's layers, counted, unmounted at zero or forced; rmi of a mounted
// image removes it and its mount, as Podman's.
import test from 'ava'

import {sandboxWithImages} from '../../helpers/image-sandbox'
import {TSPOD_BIN, tspod} from '../../helpers/rootless'

function inSession(script: string): string[] {
  return ['unshare', 'sh', '-c', `T="${process.execPath} -- ${TSPOD_BIN}"; ${script}`]
}

test('image mount is refused outside unshare; image unmount of an unknown image is an error', async (t) => {
  const box = await sandboxWithImages(t)
  const r = await tspod(box, ['image', 'mount', 'localhost/busybox'])
  t.is(r.code, 125)
  t.regex(r.stderr, /^Error: cannot run command "\S+ image mount" in rootless mode, must execute `\S+ unshare` first\n$/)
  const u = await tspod(box, ['image', 'unmount', 'localhost/busybox'])
  t.is(u.code, 0, u.stderr)
  t.is(u.stdout, '', 'an image not mounted prints nothing')
  const missing = await tspod(box, ['image', 'umount', 'nosuch'])
  t.is(missing.code, 125)
  t.is(missing.stderr, 'Error: nosuch: image not known\n')
  t.is((await tspod(box, ['image', 'unmount'])).stderr, 'Error: image name or ID must be specified\n')
})

test('in one unshare session: a read-only root of the layers, counted and unmounted; rmi of a mounted image', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await tspod(box, ['image', 'inspect', '--format', '{{.Id}}', 'localhost/multi'])).stdout.trim()
  t.regex(id, /^[0-9a-f]{64}$/)
  const script = [
    'p=$($T image mount localhost/multi)',
    '$T image mount localhost/multi >/dev/null',
    'test -x "$p/bin/busybox" && echo readable',
    'touch "$p/new" 2>/dev/null || echo read-only',
    '$T image mount',
    '$T image unmount localhost/multi',
    'grep -c " $p " /proc/self/mountinfo',
    '$T image unmount localhost/multi >/dev/null',
    'grep -c " $p " /proc/self/mountinfo',
    '$T image mount localhost/multi >/dev/null; $T image mount localhost/multi >/dev/null; $T image umount -a -f >/dev/null',
    'echo "after -a -f: $($T image mount | wc -l)"',
    '$T image mount localhost/multi >/dev/null',
    '$T rmi localhost/multi >/dev/null && echo removed',
    'grep -c " $p " /proc/self/mountinfo',
    'echo "after rmi: $($T image mount | wc -l)"',
    '$T image mount --format json localhost/busybox | tr -d " \\n"; echo',
    '$T image umount -a >/dev/null',
  ].join('\n')
  const r = await tspod(box, inSession(script))
  const lines = r.stdout.split('\n')
  t.is(lines[0], 'readable', r.stderr)
  t.is(lines[1], 'read-only')
  t.regex(lines[2], new RegExp(`^localhost/multi:latest  /.+/${id}$`))
  t.is(lines[3], id)
  t.is(lines[4], '1', 'still mounted after one of two unmounts')
  t.is(lines[5], '0')
  t.is(lines[6], 'after -a -f: 0')
  t.is(lines[7], 'removed')
  t.is(lines[8], '0', 'rmi unmounted it')
  t.is(lines[9], 'after rmi: 0')
  // with images and --format json: their records, Podman's keys
  t.regex(lines[10], /^\[\{"id":"[0-9a-f]{64}","Names":\["sha256:[0-9a-f]{64}"\],"Repositories":\["localhost\/busybox:latest"\],"mountpoint":"\/.+"\}\]$/)
})
