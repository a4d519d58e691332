// --cgroups=split at start: the starting process's own cgroup, from /proc/self/cgroup as Podman reads it.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ContainerStartError} from '../../../src/errors'
import {checkCgroupsMode, ownCgroup} from '../../../src/runtime/container/cgroups-mode'

const HYBRID_AT_ROOT = '2:memory:/\n1:name=systemd:/\n0::/\n'

test('ownCgroup: the v2 line when there is one, else the longest v1 path; the root cgroup is none', (t) => {
  t.is(ownCgroup('0::/user.slice/user-1000.slice/session-2.scope\n'), '/user.slice/user-1000.slice/session-2.scope')
  t.is(ownCgroup('3:memory:/a/longer/path\n1:name=systemd:/a\n'), '/a/longer/path')
  // the v2 line is taken even when a v1 path is longer
  t.is(ownCgroup('4:memory:/process/x\n0::/\n'), undefined)
  t.is(ownCgroup(HYBRID_AT_ROOT), undefined)
  t.is(ownCgroup(''), undefined)
})

test('checkCgroupsMode: only split needs a cgroup of its own, and fails the start without one', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cgroup-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const atRoot = path.join(dir, 'root')
  fs.writeFileSync(atRoot, HYBRID_AT_ROOT)
  const nested = path.join(dir, 'nested')
  fs.writeFileSync(nested, '0::/user.slice/app.service\n')
  for (const mode of [undefined, 'enabled', 'disabled', 'no-conmon'] as const) t.notThrows(() => checkCgroupsMode(mode, atRoot))
  t.notThrows(() => checkCgroupsMode('split', nested))
  const err = t.throws(() => checkCgroupsMode('split', atRoot), {instanceOf: ContainerStartError})
  t.is(err?.message, `could not find cgroup mount in "${atRoot}"`)
})
