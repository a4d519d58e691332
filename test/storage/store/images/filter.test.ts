// `images --filter`: which keys are known, and the KEY=VALUE shape.
import test from 'ava'

import {UsageError} from '../../../../src/errors'
import {parseImageFilters} from '../../../../src/storage/store/images/filter'

test('values of a repeated key collect in order; each key Podman knows is taken', (t) => {
  const filters = parseImageFilters(['reference=alpine*', 'label=a=b', 'reference=busybox', 'dangling=true'])
  t.deepEqual([...filters.entries()], [
    ['reference', ['alpine*', 'busybox']],
    ['label', ['a=b']],
    ['dangling', ['true']],
  ])
  for (const key of ['dangling', 'reference', 'label', 'before', 'since', 'after', 'id', 'digest', 'readonly', 'intermediate'])
    t.deepEqual(parseImageFilters([`${key}=x`]).get(key as 'id'), ['x'])
})

test('an unknown key, or a known one without a value, is a usage error', (t) => {
  t.throws(() => parseImageFilters(['colour=red']), {instanceOf: UsageError, message: 'unsupported image filter "colour"'})
  t.throws(() => parseImageFilters(['dangling']), {instanceOf: UsageError, message: 'invalid image filter "dangling": must be in the format "filter=value"'})
})
