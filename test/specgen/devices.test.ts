// --device parsed as Podman parses it; the host node must be a device or a dir when it is parsed.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../src/errors'
import {parseDevice, parseDevices} from '../../src/specgen/devices'

test('--device values split as Podman splits them', (t) => {
  t.deepEqual(parseDevice('/dev/null'), {source: '/dev/null', destination: '/dev/null', permissions: 'rwm'})
  t.deepEqual(parseDevice('/dev/null:r'), {source: '/dev/null', destination: '/dev/null', permissions: 'r'})
  t.deepEqual(parseDevice('/dev/null:/dev/n2'), {source: '/dev/null', destination: '/dev/n2', permissions: 'rwm'})
  t.deepEqual(parseDevice('/dev/null:/dev/n2:rw'), {source: '/dev/null', destination: '/dev/n2', permissions: 'rw'})
  t.deepEqual(parseDevice('/dev/null:'), {source: '/dev/null', destination: '/dev/null', permissions: 'rwm'})
  t.throws(() => parseDevice('/dev/null:/a:rr'), {instanceOf: UsageError, message: 'invalid device mode: rr'})
  t.throws(() => parseDevice('/dev/null:/a:'), {instanceOf: UsageError, message: 'invalid device mode: '})
})

test('--device: the host side must exist and be a device node or a dir; an empty value is ignored', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-devparse-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'plain'), '')
  t.deepEqual(parseDevices(['', '/dev/null:/dev/n2:r', dir]), [
    {source: '/dev/null', destination: '/dev/n2', permissions: 'r'},
    {source: dir, destination: dir, permissions: 'rwm'},
  ])
  t.throws(() => parseDevices(['/dev/no-such-node']), {instanceOf: UsageError, message: 'stat /dev/no-such-node: no such file or directory'})
  t.throws(() => parseDevices([path.join(dir, 'plain')]), {message: `${path.join(dir, 'plain')} is not a valid device: not a device node`})
})
