import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {planUserNamespaceMapping} from '../../src/userns/idmap'

function files(subuid: string, subgid: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-idmap-'))
  fs.writeFileSync(path.join(dir, 'subuid'), subuid)
  fs.writeFileSync(path.join(dir, 'subgid'), subgid)
  return {subuid: path.join(dir, 'subuid'), subgid: path.join(dir, 'subgid')}
}

const alice = {name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', groups: [1000]}

test('ranges map container ids 1.. contiguously after the user itself as 0', (t) => {
  const m = planUserNamespaceMapping(alice, files('alice:100000:65536\nalice:300000:10\n', 'alice:200000:65536\n'))
  t.is(m.mode, 'subid')
  t.is(m.setgroups, 'allow')
  t.deepEqual(m.uidMap, [
    {containerID: 0, hostID: 1000, size: 1},
    {containerID: 1, hostID: 100000, size: 65536},
    {containerID: 65537, hostID: 300000, size: 10},
  ])
  t.deepEqual(m.gidMap, [
    {containerID: 0, hostID: 1000, size: 1},
    {containerID: 1, hostID: 200000, size: 65536},
  ])
})

test('no range (in either file) falls back to the single mapping with setgroups deny', (t) => {
  const m = planUserNamespaceMapping(alice, files('alice:100000:65536\n', 'bob:1:2\n'))
  t.is(m.mode, 'single')
  t.is(m.setgroups, 'deny')
  t.deepEqual(m.uidMap, [{containerID: 0, hostID: 1000, size: 1}])
  t.regex(m.reason!, /no range for user "alice" in .*subgid/)
})

test('a range that contains the user its own uid is refused, in Podman words', (t) => {
  const err = t.throws(() => planUserNamespaceMapping(alice, files('alice:999:65536\n', 'alice:100000:65536\n')))
  t.regex(err!.message, /invalid configuration: the specified mapping 999:65536 in ".*subuid" includes the user UID/)
})
