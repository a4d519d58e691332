// splitGroupAdd: --group-add values (a string slice: repeated flags and commas), and keep-groups,
// which Podman allows only alone.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {KEEP_GROUPS, splitGroupAdd} from '../../src/specgen/groups'

test('names and gids from repeated flags and comma lists, in order, empty items dropped', (t) => {
  t.deepEqual(splitGroupAdd(['wheel,1234', 'audio', '', 'video,']), {groups: ['wheel', '1234', 'audio', 'video'], keepGroups: false})
  t.deepEqual(splitGroupAdd([]), {groups: [], keepGroups: false})
})

test('keep-groups alone keeps the caller\'s groups and adds none', (t) => {
  t.is(KEEP_GROUPS, 'keep-groups')
  t.deepEqual(splitGroupAdd(['keep-groups']), {groups: [], keepGroups: true})
})

test('keep-groups with any other group is refused in Podman\'s words', (t) => {
  const message = "the '--group-add keep-groups' option is not allowed with any other --group-add options"
  t.throws(() => splitGroupAdd(['keep-groups,wheel']), {instanceOf: UsageError, message})
  t.throws(() => splitGroupAdd(['wheel', 'keep-groups']), {instanceOf: UsageError, message})
  t.throws(() => splitGroupAdd(['keep-groups', 'keep-groups']), {instanceOf: UsageError, message})
})
