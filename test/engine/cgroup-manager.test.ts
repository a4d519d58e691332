// --cgroup-manager: cgroupfs or systemd; anything else fails in Podman's words.
import test from 'ava'

import {TspodError} from '../../src/errors'
import {parseCgroupManager} from '../../src/engine/cgroup-manager'

test('cgroupfs and systemd are taken; another name is refused', (t) => {
  t.is(parseCgroupManager('cgroupfs'), 'cgroupfs')
  t.is(parseCgroupManager('systemd'), 'systemd')
  const err = t.throws(() => parseCgroupManager('bogus'), {instanceOf: TspodError})
  t.is(err?.message, 'configuring runtime: cgroup manager must be one of cgroupfs and systemd: invalid argument')
})
