// How `system check` findings name store objects.
import test from 'ava'

import {imageLabel, listed, shortId} from '../../../../src/storage/store/check/describe'
import type {Image} from '../../../../src/storage/store/images/images'

test('short ids are 12 hex digits without the algorithm', (t) => {
  t.is(shortId(`sha256:${'0123456789ab'.repeat(5)}`), '0123456789ab')
  t.is(shortId('abcdef'), 'abcdef')
})

test('an image by its first name and short id, or the short id alone', (t) => {
  const id = 'f'.repeat(64)
  t.is(imageLabel({id, names: ['localhost/a:1', 'localhost/b:2']} as Image), `localhost/a:1 (${'f'.repeat(12)})`)
  t.is(imageLabel({id, names: []} as unknown as Image), 'f'.repeat(12))
})

test('lists are cut after five with a count of the rest', (t) => {
  t.is(listed(['a', 'b']), 'a, b')
  t.is(listed(['1', '2', '3', '4', '5']), '1, 2, 3, 4, 5')
  t.is(listed(['1', '2', '3', '4', '5', '6', '7']), '1, 2, 3, 4, 5 and 2 more')
  t.is(listed(['1', '2', '3'], 2), '1, 2 and 1 more')
  t.is(listed([]), '')
})
