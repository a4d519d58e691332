// --userns parsed as Podman parses it: the values tspod takes, and Podman's errors.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseUserns} from '../../src/specgen/userns'

test('parse: the default, keep-id and its options; Podman\'s errors for bad options', (t) => {
  t.deepEqual(parseUserns(undefined), {kind: 'host'})
  t.deepEqual(parseUserns(''), {kind: 'host'})
  t.deepEqual(parseUserns('host'), {kind: 'host'})
  t.deepEqual(parseUserns('keep-id'), {kind: 'keep-id'})
  t.deepEqual(parseUserns('keep-id:uid=1000,gid=100,size=2000'), {kind: 'keep-id', uid: 1000, gid: 100, size: 2000})
  const bad: [string, string][] = [
    ['keep-id:foo', 'invalid option specified: "foo"'],
    ['keep-id:', 'invalid option specified: ""'],
    ['keep-id:bar=1', 'unknown option specified: "bar"'],
    ['keep-id:uid=abc', 'strconv.ParseUint: parsing "abc": invalid syntax'],
    ['keep-id:uid=-1', 'strconv.ParseUint: parsing "-1": invalid syntax'],
    ['keep-id:gid=4294967296', 'strconv.ParseUint: parsing "4294967296": value out of range'],
    ['foo', 'unrecognized namespace mode foo passed'],
  ]
  for (const [value, message] of bad) t.throws(() => parseUserns(value), {instanceOf: UsageError, message}, value)
})

test('parse: nomap and auto[:size=,uidmapping=,gidmapping=] (the mappings may repeat); Podman\'s errors', (t) => {
  t.deepEqual(parseUserns('nomap'), {kind: 'nomap'})
  t.deepEqual(parseUserns('auto'), {kind: 'auto'})
  t.deepEqual(parseUserns('auto:size=1024,uidmapping=0:5:10,uidmapping=20:30:1,gidmapping=1:2:3'), {
    kind: 'auto',
    size: 1024,
    uidMappings: [
      {containerID: 0, hostID: 5, size: 10},
      {containerID: 20, hostID: 30, size: 1},
    ],
    gidMappings: [{containerID: 1, hostID: 2, size: 3}],
  })
  const bad: [string, string][] = [
    ['auto:size', 'invalid option specified: "size"'],
    ['auto:size=-1', 'strconv.ParseUint: parsing "-1": invalid syntax'],
    ['auto:gidmapping=1:2', 'failed to create ParseUIDMap GID=[1:2]: initializing ID mappings: GID setting is malformed expected ["uint32:uint32:uint32"]: ["1:2"]'],
    ['auto:other=1', 'unknown option specified: "other"'],
  ]
  for (const [value, message] of bad) t.throws(() => parseUserns(value), {instanceOf: UsageError, message}, value)
})

test('parse: modes Podman has but tspod does not are refused, naming what is supported', (t) => {
  for (const value of ['private', 'ns:/proc/1/ns/user', 'container:web', 'pod']) {
    const err = t.throws(() => parseUserns(value), {instanceOf: UsageError})
    t.is(err?.message, `--userns=${value} is not supported by tspod: use "" or "host" (the default), "keep-id[:uid=UID,gid=GID,size=SIZE]", "nomap" or "auto[:size=SIZE,uidmapping=C:H:S,gidmapping=C:H:S]"`)
  }
})
