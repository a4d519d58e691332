// @userns
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../../src/errors'
import {deviceMounts, parseDevice} from '../../../src/runtime/spec/devices'

const BIND = ['slave', 'nosuid', 'noexec', 'rw', 'rbind']

test('--device values split as Podman splits them', (t) => {
  t.deepEqual(parseDevice('/dev/null'), {source: '/dev/null', destination: '/dev/null', permissions: 'rwm'})
  t.deepEqual(parseDevice('/dev/null:r'), {source: '/dev/null', destination: '/dev/null', permissions: 'r'})
  t.deepEqual(parseDevice('/dev/null:/dev/n2'), {source: '/dev/null', destination: '/dev/n2', permissions: 'rwm'})
  t.deepEqual(parseDevice('/dev/null:/dev/n2:rw'), {source: '/dev/null', destination: '/dev/n2', permissions: 'rw'})
  t.deepEqual(parseDevice('/dev/null:'), {source: '/dev/null', destination: '/dev/null', permissions: 'rwm'})
  t.throws(() => parseDevice('/dev/null:/a:rr'), {instanceOf: UsageError, message: 'invalid device mode: rr'})
  t.throws(() => parseDevice('/dev/null:/a:'), {instanceOf: UsageError, message: 'invalid device mode: '})
})

test('--device: a node is bound; a dir gives every node below it; an empty value nothing', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-devdir-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.mkdirSync(path.join(dir, 'sub'))
  execFileSync('mknod', [path.join(dir, 'sub', 'zero'), 'c', '1', '5'])
  fs.writeFileSync(path.join(dir, 'plain'), '')
  t.deepEqual(deviceMounts(['', '/dev/null:/dev/n2', `${dir}:/dev/d`]), [
    {destination: '/dev/n2', type: 'bind', source: '/dev/null', options: BIND},
    {destination: '/dev/d/sub/zero', type: 'bind', source: path.join(dir, 'sub', 'zero'), options: BIND},
  ])
})
