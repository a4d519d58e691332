// `pod ps --filter`: Podman's keys, the values of one key ORed (label: ANDed), keys ANDed; its
// messages for bad ones.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {type FilteredPod, parsePodFilters} from '../../../src/runtime/pod/filter'

const pod = (Id: string, Name: string, Status: string, Created: string, Labels: Record<string, string>, containers: [string, string, string][]): FilteredPod => ({
  Id,
  Name,
  Status,
  Created,
  Labels,
  InfraId: containers[0]?.[0] ?? '',
  Containers: containers.map(([cid, name, status]) => ({Id: cid, Names: name, Status: status})),
})

const web = pod('aaa111', 'web', 'Running', '2026-01-01T00:00:00Z', {tier: 'front', env: 'prod'}, [
  ['i1', 'web-infra', 'running'],
  ['c1', 'nginx', 'running'],
])
const batch = pod('bbb222', 'batch', 'Exited', '2026-01-02T00:00:00Z', {tier: 'back'}, [
  ['i2', 'batch-infra', 'exited'],
  ['c2', 'job', 'exited'],
  ['c3', 'job2', 'exited'],
])
const mixed = pod('ccc333', 'mixed', 'Degraded', '2026-01-03T00:00:00Z', {}, [
  ['i3', 'mixed-infra', 'running'],
  ['c4', 'idle', 'created'],
])
const bare = pod('ddd444', 'bare', 'Created', '2026-01-04T00:00:00Z', {}, [])
const all = [web, batch, mixed, bare]

const context = {
  networkName: (v: string) => ({podman: 'podman', mynet: 'mynet', '2f25': 'podman'})[v],
  networksOf: (id: string) => ({i1: ['podman'], i2: ['mynet'], i3: []})[id] ?? [],
}
const names = (...filters: string[]) => all.filter(parsePodFilters(filters, context)).map((p) => p.Name)

test('status: the values of one key are ORed', (t) => {
  t.deepEqual(names('status=running'), ['web'])
  t.deepEqual(names('status=running', 'status=exited'), ['web', 'batch'])
  t.deepEqual(names('status=degraded', 'status=created'), ['mixed', 'bare'])
})

test('different keys are ANDed; label values are ANDed, a * key a pattern', (t) => {
  t.deepEqual(names('status=running', 'status=exited', 'label=tier=back'), ['batch'])
  t.deepEqual(names('label=tier', 'label=env=prod'), ['web'])
  t.deepEqual(names('label=tier=front', 'label=tier=back'), [])
  t.deepEqual(names('label=*ie*'), ['web', 'batch'])
})

test('id and name are regular expressions, any of them', (t) => {
  t.deepEqual(names('id=^aaa', 'id=222$'), ['web', 'batch'])
  t.deepEqual(names('name=^b'), ['batch', 'bare'])
  t.deepEqual(names('name=[bad'), [])
})

test('ctr-ids, ctr-names, ctr-status match any container of the pod; ctr-number its count', (t) => {
  t.deepEqual(names('ctr-ids=^c2'), ['batch'])
  t.deepEqual(names('ctr-names=^job$', 'ctr-names=nginx'), ['web', 'batch'])
  t.deepEqual(names('ctr-status=created'), ['mixed'])
  t.deepEqual(names('ctr-status=stopped'), ['batch'], 'stopped is exited')
  t.deepEqual(names('ctr-status=running', 'ctr-status=exited'), ['web', 'batch', 'mixed'])
  t.deepEqual(names('ctr-number=3', 'ctr-number=0'), ['batch', 'bare'])
  t.deepEqual(names('ctr-number=x'), [])
})

test('until: created before the time; network: its infra container on one of the networks', (t) => {
  t.deepEqual(names('until=2026-01-02T12:00:00Z'), ['web', 'batch'])
  t.deepEqual(names('network=mynet'), ['batch'])
  t.deepEqual(names('network=2f25', 'network=nosuch'), ['web'])
  t.deepEqual(names('network=nosuch'), [])
})

test("bad filters are usage errors in Podman's words", (t) => {
  const fails = (filters: string[], message: string) => t.throws(() => parsePodFilters(filters, context), {instanceOf: UsageError, message})
  fails(['status'], 'filter input must be in the form of filter=value: status is invalid')
  fails(['status=sleeping'], 'sleeping is not a valid pod status')
  fails(['ctr-status=dead'], 'dead is not a valid status')
  fails(['colour=red'], 'colour is an invalid filter')
  fails(['until=1h', 'until=2h'], 'specify exactly one timestamp for until')
})
