import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {exitCodeFor} from '../../src/cli/exit-codes'
import {TspodError} from '../../src/errors'
import {explainProcMountRefusal, mountsOverProc} from '../../src/runtime/proc-mount-refusal'

const MOUNTINFO = [
  '22 1 0:21 / /proc rw,relatime - proc proc rw',
  '30 22 0:30 / /proc/sys/fs/binfmt_misc rw,relatime - autofs systemd-1 rw',
  '31 22 0:21 /sys /proc/sys ro,relatime - proc proc rw',
  '32 22 0:33 / /proc/a\\040dir rw - tmpfs none rw',
  '33 1 0:34 / /procfs rw - tmpfs none rw',
  '',
].join('\n')

function mountinfoFile(t: {teardown(fn: () => void): void}, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-mountinfo-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'mountinfo')
  fs.writeFileSync(file, text)
  return file
}

test('mounts over /proc: every mount point below it but the permanently empty binfmt_misc dir', (t) => {
  t.deepEqual(mountsOverProc(mountinfoFile(t, MOUNTINFO)), ['/proc/sys', '/proc/a dir'])
})

test('a refused proc mount is explained; other failures are left as they are', (t) => {
  const file = mountinfoFile(t, MOUNTINFO)
  const refused = new TspodError('mount `proc` to `/proc`: Operation not permitted', {code: 'EPERM', errno: -1, syscall: 'mount `proc` to `/proc`', path: '/proc'})
  const explained = explainProcMountRefusal(refused, file) as TspodError
  t.is(
    explained.message,
    'mount `proc` to `/proc`: Operation not permitted: the kernel refuses a new /proc in a user namespace while mounts cover parts of this one (/proc/sys, /proc/a dir), as inside another container or sandbox; run tspod where /proc is fully visible (for an outer Podman container: --security-opt unmask=ALL)',
  )
  t.is(exitCodeFor(explained), 125)
  t.regex((explainProcMountRefusal(refused, mountinfoFile(t, '')) as Error).message, /here \(inside another container or sandbox whose \/proc is not fully visible\?\)/)
  const other = new TspodError('mount `sysfs` to `/sys`: Operation not permitted', {code: 'EPERM', syscall: 'mount `sysfs` to `/sys`'})
  t.is(explainProcMountRefusal(other, file), other)
  const busy = new TspodError('mount `proc` to `/proc`: Device or resource busy', {code: 'EBUSY', syscall: 'mount `proc` to `/proc`'})
  t.is(explainProcMountRefusal(busy, file), busy)
})
