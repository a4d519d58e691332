// What secret ls and inspect show: Podman's inspect record, --pretty text and list filters.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {goTimeString, matchesSecretFilters, parseSecretFilters, prettySecret, secretInfo} from '../../../src/runtime/secret/report'
import type {SecretRecord} from '../../../src/runtime/secret/secret-store'

const record: SecretRecord = {name: 'lab', id: 'dd71602591899046aee44d743', labels: {z: '', k: 'v'}, createdAt: '2026-12-07T02:10:21.5306798Z', driver: 'file', driverOptions: {path: '/s/filedriver'}}

test("inspect's record and --pretty, times as Go prints them", (t) => {
  const info = secretInfo(record)
  t.deepEqual(info, {
    ID: record.id,
    CreatedAt: record.createdAt,
    UpdatedAt: record.createdAt,
    Spec: {Name: 'lab', Driver: {Name: 'file', Options: {path: '/s/filedriver'}}, Labels: {z: '', k: 'v'}},
  })
  t.is(
    prettySecret(info),
    'ID:              dd71602591899046aee44d743\nName:              lab\nLabels:\n - k=v\n - z\nDriver:            file\n' +
      'Created at:        2026-12-07 02:10:21.5306798 +0000 UTC\nUpdated at:        2026-12-07 02:10:21.5306798 +0000 UTC\n',
  )
  t.is(goTimeString('2026-12-07T02:10:21Z'), '2026-12-07 02:10:21 +0000 UTC')
  t.deepEqual(secretInfo({...record, labels: undefined}).Spec.Labels, {})
})

test('filters: name and id are regular expressions, alternatives within a key, all keys apply', (t) => {
  t.true(matchesSecretFilters(record, parseSecretFilters(['name=la'])))
  t.true(matchesSecretFilters(record, parseSecretFilters(['name=nope', 'name=^lab$'])))
  t.false(matchesSecretFilters(record, parseSecretFilters(['name=lab', 'id=^0'])))
  t.true(matchesSecretFilters(record, parseSecretFilters(['id=dd71'])))
  t.throws(() => parseSecretFilters(['foo=bar']), {instanceOf: UsageError, message: 'invalid filter "foo"'})
  t.throws(() => parseSecretFilters(['name']), {instanceOf: UsageError, message: 'filter input must be in the form of filter=value: name is invalid'})
})
