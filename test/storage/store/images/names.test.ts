// The names `tag` gives: local ones under localhost/, "latest" when no tag is given.
import test from 'ava'

import {UsageError} from '../../../../src/errors'
import {normalizeTagName, normalizeUntagName} from '../../../../src/storage/store/images/names'

test('a name without a registry is local; without a tag, latest', (t) => {
  t.is(normalizeTagName('myimage'), 'localhost/myimage:latest')
  t.is(normalizeTagName('team/app:v1'), 'localhost/team/app:v1')
  t.is(normalizeTagName('quay.io/team/app'), 'quay.io/team/app:latest')
  t.is(normalizeTagName('localhost:5000/app:1.0'), 'localhost:5000/app:1.0')
  t.is(normalizeTagName('localhost/app'), 'localhost/app:latest')
})

test('a digest cannot be a tag', (t) => {
  t.throws(() => normalizeTagName(`app@sha256:${'a'.repeat(64)}`), {instanceOf: UsageError, message: `app@sha256:${'a'.repeat(64)}: tag by digest not supported`})
})

test('untag takes a digested name, its tag dropped as containers/common does', (t) => {
  const digest = `sha256:${'a'.repeat(64)}`
  t.is(normalizeUntagName(`quay.io/x/app:1@${digest}`), `quay.io/x/app@${digest}`)
  t.is(normalizeUntagName(`app@${digest}`), `localhost/app@${digest}`)
  t.is(normalizeUntagName('app'), 'localhost/app:latest')
})
