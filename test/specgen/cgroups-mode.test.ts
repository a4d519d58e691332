// --cgroups: Podman's four modes; anything else is refused in its words.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseCgroupsMode} from '../../src/specgen/cgroups-mode'

test('enabled, disabled, no-conmon and split are taken; none given records none', (t) => {
  for (const mode of ['enabled', 'disabled', 'no-conmon', 'split']) t.is(parseCgroupsMode(mode) as string | undefined, mode)
  t.is(parseCgroupsMode(undefined), undefined)
})

test('another value is refused', (t) => {
  const err = t.throws(() => parseCgroupsMode('bogus'), {instanceOf: UsageError})
  t.is(err?.message, 'running container create option: invalid cgroup mode "bogus": invalid argument')
})
