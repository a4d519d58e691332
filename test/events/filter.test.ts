// `events --filter`, --since and --until as Podman applies them.
import test from 'ava'

import {newEvent} from '../../src/events/event'
import {eventFilter} from '../../src/events/filter'

const start = (name: string, labels: Record<string, string> = {}) => ({...newEvent('container', 'start', {ID: `${name}0123456789abcdef`, Name: name, Image: 'img', Attributes: labels}), Time: '2026-01-01T00:00:10Z'})

test('filters under one key are alternatives, different keys must all match; keys in any case', (t) => {
  const foo = start('foo', {tier: 'web'})
  const bar = start('bar')
  const fooDied = {...foo, Status: 'died'}
  const pick = (filters: string[]) => [foo, bar, fooDied].filter(eventFilter(filters)).map((e) => `${e.Name} ${e.Status}`)
  t.deepEqual(pick(['container=foo', 'container=bar', 'event=start']), ['foo start', 'bar start'])
  t.deepEqual(pick(['CONTAINER=bar0123']), ['bar start'], 'an ID prefix')
  t.deepEqual(pick(['label=tier=web', 'status=died']), ['foo died'])
  t.deepEqual(pick(['type=image']), [])
  t.deepEqual(pick(['label=tier']), [], 'a label filter without a value matches nothing')
  const image = {...newEvent('image', 'tag', {ID: 'f'.repeat(64), Name: 'x'}), Time: foo.Time}
  t.true(eventFilter(['image=fff'])(image))
  t.false(eventFilter(['image=foo'])(foo))
  const volume = {...newEvent('volume', 'create', {Name: 'data'}), Time: foo.Time}
  t.true(eventFilter(['volume=data'])(volume))
})

test('since and until bound the time (exclusive); bad filters and times are errors in Podman\'s words', (t) => {
  const e = start('foo')
  t.true(eventFilter([], '2026-01-01T00:00:09Z')(e))
  t.false(eventFilter([], '2026-01-01T00:00:10Z')(e))
  t.true(eventFilter([], undefined, '2026-01-01T00:00:11+00:00')(e))
  t.false(eventFilter([], undefined, '1767225600')(e))
  t.throws(() => eventFilter(['nope']), {message: 'failed to parse event filters: nope is an invalid filter'})
  t.throws(() => eventFilter(['color=red']), {message: 'failed to parse event filters: color is an invalid filter'})
  t.throws(() => eventFilter([], 'soon'), {message: 'failed to parse event filters: unable to convert since time of soon: unable to interpret time value'})
})
