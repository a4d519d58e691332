// @userns
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {deviceMounts, privilegedDeviceMounts} from '../../../src/runtime/spec/devices'
import {parseDevices} from '../../../src/specgen/devices'

const BIND = ['slave', 'nosuid', 'noexec', 'rw', 'rbind']

test('--device: a node is bound; a dir gives every node below it; an empty value nothing', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-devdir-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.mkdirSync(path.join(dir, 'sub'))
  execFileSync('mknod', [path.join(dir, 'sub', 'zero'), 'c', '1', '5'])
  fs.writeFileSync(path.join(dir, 'plain'), '')
  t.deepEqual(deviceMounts(parseDevices(['', '/dev/null:/dev/n2', `${dir}:/dev/d`])), [
    {destination: '/dev/n2', type: 'bind', source: '/dev/null', options: BIND},
    {destination: '/dev/d/sub/zero', type: 'bind', source: path.join(dir, 'sub', 'zero'), options: BIND},
  ])
})

test('privilegedDeviceMounts: the device nodes under /dev but ptmx, tty* and pts/, shm/, mqueue/', (t) => {
  const dests = privilegedDeviceMounts().map((m) => m.destination)
  t.true(dests.includes('/dev/null'))
  t.false(dests.includes('/dev/ptmx'))
  t.false(dests.some((d) => d.startsWith('/dev/tty') || d.startsWith('/dev/pts/') || d.startsWith('/dev/shm/')))
  for (const m of privilegedDeviceMounts()) t.deepEqual(m.options, ['slave', 'nosuid', 'noexec', 'rw', 'rbind'])
})
