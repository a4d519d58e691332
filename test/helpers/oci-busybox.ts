// A minimal but real root filesystem: Debian's static busybox with its applet links, two users
// (root and user 1234) and the usual top-level directories.
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {promisify} from 'node:util'

import type {LayerEntry} from './oci-layer'

export const BUSYBOX = '/usr/bin/busybox'

export const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'user:x:1234:1234:user:/home/user:/bin/sh',
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
  '',
].join('\n')

export const GROUP = ['root:x:0:', 'user:x:1234:', 'nogroup:x:65534:', ''].join('\n')

const dir = (path: string, mode = 0o755, uid = 0, gid = 0): LayerEntry => ({path, type: 'dir', mode, uid, gid})

/** Applet paths, relative ('bin/sh', 'usr/bin/env', 'linuxrc'), as `busybox --list-full` prints them. */
export async function busyboxApplets(): Promise<string[]> {
  const {stdout} = await promisify(execFile)(BUSYBOX, ['--list-full'])
  return stdout.split('\n').filter((line) => line !== '' && line !== 'bin/busybox')
}

/** The rootfs as layer entries, parents before children, names relative like real image layers. */
export async function busyboxRootfsEntries(): Promise<LayerEntry[]> {
  const [binary, applets] = await Promise.all([readFile(BUSYBOX), busyboxApplets()])
  return [
    dir('bin/'),
    dir('sbin/'),
    dir('usr/'),
    dir('usr/bin/'),
    dir('usr/sbin/'),
    dir('etc/'),
    dir('tmp/', 0o1777),
    dir('root/', 0o700),
    dir('home/'),
    dir('home/user/', 0o755, 1234, 1234),
    dir('proc/', 0o555),
    dir('sys/', 0o555),
    dir('dev/'),
    dir('var/'),
    {path: 'bin/busybox', content: binary, mode: 0o755},
    ...applets.map((applet): LayerEntry => ({path: applet, type: 'symlink', linkname: '/bin/busybox'})),
    {path: 'etc/passwd', content: PASSWD},
    {path: 'etc/group', content: GROUP},
  ]
}
