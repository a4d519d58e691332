// Podman's event record: the JSON line in Go's field order and the human-readable line.
import test from 'ava'

import {eventJson, humanReadable, newEvent, truncateId} from '../../src/events/event'
import {goTimeString, parseInputTime, parseRfc3339, rfc3339Nano} from '../../src/events/time'

const ID = 'a'.repeat(64)

test('the JSON line has Go\'s field order, leaves out empty fields, and keeps Attributes (null when none)', (t) => {
  const image = {...newEvent('image', 'pull', {Name: 'busybox'}), Time: '2022-04-06T11:26:42.7236679+02:00'}
  t.is(eventJson(image), '{"Name":"busybox","Status":"pull","Time":"2022-04-06T11:26:42.7236679+02:00","Type":"image","Attributes":null}')
  const died = {...newEvent('container', 'died', {ID, Image: 'img', Name: 'c', Attributes: {z: '1', a: '2'}}), ContainerExitCode: 17, Time: '2026-01-01T00:00:00Z'}
  t.is(eventJson(died), `{"ContainerExitCode":17,"ID":"${ID}","Image":"img","Name":"c","Status":"died","Time":"2026-01-01T00:00:00Z","Type":"container","Attributes":{"a":"2","z":"1"}}`)
})

test('the human-readable line of each type, with the ID truncated only when asked', (t) => {
  const time = '2026-01-02T03:04:05.5Z'
  const shown = '2026-01-02 03:04:05.5 +0000 UTC'
  const c = {...newEvent('container', 'start', {ID, Image: 'img', Name: 'c', Attributes: {l: 'v'}}), Time: time}
  t.is(humanReadable(c, false), `${shown} container start ${ID} (image=img, name=c, l=v)`)
  t.is(humanReadable(c, true), `${shown} container start ${'a'.repeat(12)} (image=img, name=c, l=v)`)
  t.is(humanReadable({...newEvent('image', 'tag', {ID, Name: 'x:1'}), Time: time}, false), `${shown} image tag ${ID} x:1`)
  t.is(humanReadable({...newEvent('image', 'pull', {Name: 'x'}), Time: time}, false), `${shown} image pull  x`)
  t.is(humanReadable({...newEvent('volume', 'create', {Name: 'v'}), Time: time}, false), `${shown} volume create v`)
  t.is(humanReadable({...newEvent('system', 'log-rotation', {Name: '/e.log'}), Time: time}, false), `${shown} system log-rotation /e.log`)
  t.is(truncateId('sha256:' + ID), 'a'.repeat(12))
})

test('times: RFC 3339 to the nanosecond, Go\'s Time.String(), and --since/--until values', (t) => {
  const parsed = parseRfc3339('2022-04-06T11:26:42.723667900+02:00')!
  t.is(parsed.ns, BigInt(Date.parse('2022-04-06T09:26:42Z')) * 1_000_000n + 723667900n)
  t.is(goTimeString('2022-04-06T11:26:42.723667900+02:00'), '2022-04-06 11:26:42.7236679 +0200 +0200')
  const ns = BigInt(Date.parse('2026-01-01T00:00:00Z')) * 1_000_000n + 5n
  t.is(parseRfc3339(rfc3339Nano(ns))!.ns, ns, 'written to the nanosecond')
  t.is(parseInputTime('1000', true), 1000n * 1_000_000_000n)
  t.is(parseInputTime('2026-01-01', true), BigInt(Date.parse('2026-01-01T00:00:00Z')) * 1_000_000n)
  const now = BigInt(Date.now()) * 1_000_000n
  const hourAgo = parseInputTime('1h', true)
  const hourOn = parseInputTime('1h', false)
  t.true(now - hourAgo > 3_590_000_000_000n && now - hourAgo < 3_610_000_000_000n)
  t.true(hourOn - now > 3_590_000_000_000n)
  t.throws(() => parseInputTime('yesterday', true), {message: 'unable to interpret time value'})
})
