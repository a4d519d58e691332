import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseContainerSpec} from '../../src/specgen/parse'
import {mountFlagForm, mountFlagForms} from '../../src/specgen/mount-flag'

test('--mount in the -v and --tmpfs forms: bind, volume (named or anonymous), tmpfs with size and mode', (t) => {
  t.deepEqual(mountFlagForm('type=bind,source=/src,destination=/dst,ro'), {volume: '/src:/dst:ro'})
  t.deepEqual(mountFlagForm('type=bind,src=/src,target=/dst,readonly=false,bind-propagation=rshared'), {volume: '/src:/dst:rshared'})
  t.deepEqual(mountFlagForm('type=volume,source=data,dst=/data'), {volume: 'data:/data'})
  t.deepEqual(mountFlagForm('type=volume,dst=/data,ro'), {volume: '/data:ro'})
  t.deepEqual(mountFlagForm('type=tmpfs,dst=/tmp'), {tmpfs: '/tmp'})
  t.deepEqual(mountFlagForms(['type=tmpfs,dst=/run/x,tmpfs-size=1m,tmpfs-mode=700', 'type=bind,src=/a,dst=/b']), {tmpfs: ['/run/x:size=1m,mode=700'], volumes: ['/a:/b']})
})

test('--mount refusals: no type, no destination, an unknown key, a bind without source, a type tspod does not have', (t) => {
  t.throws(() => mountFlagForm('dst=/x'), {instanceOf: UsageError, message: /type must be specified/})
  t.throws(() => mountFlagForm('type=tmpfs'), {instanceOf: UsageError, message: 'must set volume destination'})
  t.throws(() => mountFlagForm('type=tmpfs,dst=/x,bogus=1'), {instanceOf: UsageError, message: '"bogus": invalid mount option'})
  t.throws(() => mountFlagForm('type=bind,dst=/x'), {instanceOf: UsageError})
  t.throws(() => mountFlagForm('type=image,src=busybox,dst=/x'), {instanceOf: UsageError, message: /not supported by tspod/})
  t.throws(() => mountFlagForm('type=weird,dst=/x'), {instanceOf: UsageError, message: 'invalid filesystem type "weird"'})
})

test('--mount lands in the spec beside -v and --tmpfs, with their checks', (t) => {
  const spec = parseContainerSpec({mount: ['type=tmpfs,dst=/tmp', 'type=bind,src=/,dst=/host,ro'], volumes: ['/:/other']}, {hostEnv: {}, cwd: '/'})
  t.deepEqual(
    spec.mounts.map((m) => [m.type, m.destination]),
    [['bind', '/other'], ['bind', '/host'], ['tmpfs', '/tmp']],
  )
  t.throws(() => parseContainerSpec({mount: ['type=tmpfs,dst=/tmp'], tmpfs: ['/tmp:size=1m']}, {hostEnv: {}, cwd: '/'}), {instanceOf: UsageError, message: /duplicate mount destination/})
})
