import test from 'ava'

import {UsageError} from '../../src/errors'
import {RESOURCE_LIMITS_IGNORED, checkMemoryLimit, parseMemorySize} from '../../src/specgen/resources'

test('--memory sizes use binary units, as go-units RAMInBytes', (t) => {
  t.is(parseMemorySize('0'), 0)
  t.is(parseMemorySize('512m'), 512 * 1024 * 1024)
  t.is(parseMemorySize('1g'), 1024 ** 3)
  t.is(parseMemorySize('100'), 100)
  t.throws(() => parseMemorySize('lots'), {instanceOf: UsageError, message: "invalid size: 'lots'"})
})

test('rootless on cgroups v1 every limit is ignored with Podman\'s warning; elsewhere only 0 (no limit) is accepted', (t) => {
  t.is(checkMemoryLimit('0', {rootless: true, cgroupVersion: 'v1'}), RESOURCE_LIMITS_IGNORED)
  t.is(checkMemoryLimit('1g', {rootless: true, cgroupVersion: 'v1'}), RESOURCE_LIMITS_IGNORED)
  t.is(checkMemoryLimit('0', {rootless: true, cgroupVersion: 'v2'}), undefined)
  t.is(checkMemoryLimit(undefined, {rootless: true, cgroupVersion: 'v1'}), undefined)
  t.throws(() => checkMemoryLimit('1g', {rootless: true, cgroupVersion: 'v2'}), {instanceOf: UsageError})
})
