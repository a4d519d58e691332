// @userns
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {mountFor, mountsBelow, parseMountInfo, readMountInfo} from '../../../../src/storage/store/preflight/mountinfo'
import {removeTree} from '../../../helpers/rootless'

const SAMPLE = [
  '27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard',
  '40 27 0:40 / /home rw,nosuid,nodev - xfs /dev/vdb rw',
  '41 40 0:41 / /home/u/my\\040store rw,noexec master:3 - tmpfs tmpfs rw,size=4k',
  '42 40 0:42 / /home/u/my\\040store ro - tmpfs over rw',
  '43 41 0:43 / /home/u/my\\040store/overlay/x/merged rw - fuse.fuse-overlayfs fuse-overlayfs rw,user_id=1001,group_id=1002',
].join('\n')

test('parses fields, optional fields and octal escapes', (t) => {
  const mounts = parseMountInfo(SAMPLE)
  t.is(mounts.length, 5)
  t.like(mounts[0], {id: 27, parentId: 1, device: '254:0', root: '/', mountPoint: '/', propagation: ['shared:1'], fsType: 'ext4', source: '/dev/vda'})
  t.deepEqual(mounts[1].options, ['rw', 'nosuid', 'nodev'])
  t.deepEqual(mounts[1].propagation, [])
  t.is(mounts[2].mountPoint, '/home/u/my store')
  t.deepEqual(mounts[4].superOptions, ['rw', 'user_id=1001', 'group_id=1002'])
  t.throws(() => parseMountInfo('1 2 3'), {message: '/proc/self/mountinfo:1: malformed line "1 2 3"'})
})

test('the mount holding a path is the longest mount point above it, the last of several on one point', (t) => {
  const mounts = parseMountInfo(SAMPLE)
  t.is(mountFor('/etc/passwd', mounts)!.id, 27)
  t.is(mountFor('/home', mounts)!.id, 40)
  t.is(mountFor('/homeless', mounts)!.id, 27)
  t.is(mountFor('/home/u/my store/tspod.db', mounts)!.id, 42)
  t.deepEqual(mountsBelow('/home/u', mounts).map((m) => m.id), [43, 42, 41])
  t.deepEqual(mountsBelow('/home/u/my store/overlay/x/merged', mounts), [])
})

test('a real tmpfs mounted on a path with a space is found in /proc/self/mountinfo', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-mnt-'))
  const point = path.join(dir, 'a dir')
  fs.mkdirSync(point)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,noexec,nosuid', 'tspod-mnt-test', point])
  t.teardown(() => {
    execFileSync('umount', ['-l', point])
    removeTree(dir)
  })
  const m = mountFor(path.join(point, 'x'), readMountInfo())!
  t.is(m.mountPoint, point)
  t.is(m.fsType, 'tmpfs')
  t.is(m.source, 'tspod-mnt-test')
  t.true(m.options.includes('noexec') && m.options.includes('nosuid'))
  t.deepEqual(mountsBelow(dir, readMountInfo()).map((e) => e.mountPoint), [point])
})
