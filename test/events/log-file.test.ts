// The events log as Podman's file logger: lines appended, rotation at the size limit, reading
// from the start or following the end, the "none" backend, and where containers.conf puts it.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {DEFAULT_EVENTS_LOG_MAX_SIZE, EventsConfig, loadEventsConfig} from '../../src/events/config'
import {PodmanEvent, newEvent} from '../../src/events/event'
import {readEvents, writeEvent} from '../../src/events/log-file'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-events-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

async function readAll(config: EventsConfig, matches: (e: PodmanEvent) => boolean = () => true): Promise<PodmanEvent[]> {
  const seen: PodmanEvent[] = []
  await readEvents(config, {stream: false, fromStart: true, matches, onEvent: (e) => seen.push(e)})
  return seen
}

test('events are appended one JSON line each; a missing log reads as empty and is made', async (t) => {
  const dir = tempDir(t)
  const config: EventsConfig = {backend: 'file', path: path.join(dir, 'events', 'events.log'), maxSize: 0}
  t.deepEqual(await readAll(config), [])
  t.true(fs.existsSync(config.path))
  await writeEvent(config, newEvent('volume', 'create', {Name: 'a'}))
  await writeEvent(config, newEvent('volume', 'remove', {Name: 'a'}))
  const lines = fs.readFileSync(config.path, 'utf8').split('\n')
  t.is(lines.length, 3)
  t.regex(lines[0], /^\{"Name":"a","Status":"create","Time":"[^"]+","Type":"volume","Attributes":null\}$/)
  t.deepEqual((await readAll(config)).map((e) => e.Status), ['create', 'remove'])
  t.deepEqual((await readAll(config, (e) => e.Status === 'remove')).map((e) => e.Status), ['remove'])
})

test('at the size limit the log keeps its newer half, after a log-rotation event; without a limit it grows', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'events.log')
  const line = (i: number) => `{"Name":"busybox","Status":"pull","Time":"2022-04-06T11:26:42.7236679${String(i).padStart(2, '0')}+02:00","Type":"image","Attributes":null}\n`
  const original = Array.from({length: 100}, (_, i) => line(i)).join('')
  fs.writeFileSync(file, original)
  await writeEvent({backend: 'file', path: file, maxSize: 0}, newEvent('image', 'tag', {ID: 'x', Name: 'n'}))
  t.true(fs.readFileSync(file, 'utf8').startsWith(original))

  fs.writeFileSync(file, original)
  await writeEvent({backend: 'file', path: file, maxSize: original.length / 2}, newEvent('image', 'tag', {ID: 'x', Name: 'n'}))
  const after = fs.readFileSync(file, 'utf8').trimEnd().split('\n')
  // the line at the middle is dropped whole, as Podman's reader skips to the next newline
  t.deepEqual(after.slice(0, 49), Array.from({length: 49}, (_, i) => line(i + 51).trimEnd()))
  t.regex(after[49], new RegExp(`^\\{"Name":"${file.replace(/[/.]/g, '\\$&')}","Status":"log-rotation","Time":"[^"]+","Type":"system","Attributes":null\\}$`))
  t.regex(after[50], /"Status":"tag"/)
  t.is(after.length, 51)
})

test('streaming follows the log from its end until the until time; the none backend cannot be read', async (t) => {
  const dir = tempDir(t)
  const config: EventsConfig = {backend: 'file', path: path.join(dir, 'events.log'), maxSize: DEFAULT_EVENTS_LOG_MAX_SIZE}
  await writeEvent(config, newEvent('volume', 'create', {Name: 'old'}))
  const seen: string[] = []
  const untilNs = (BigInt(Date.now()) + 1500n) * 1_000_000n
  const reading = readEvents(config, {stream: true, fromStart: false, untilNs, matches: () => true, onEvent: (e) => seen.push(e.Name!)})
  await new Promise((resolve) => setTimeout(resolve, 300))
  await writeEvent(config, newEvent('volume', 'create', {Name: 'new'}))
  await reading
  t.deepEqual(seen, ['new'])
  await t.throwsAsync(readEvents({...config, backend: 'none'}, {stream: false, fromStart: true, matches: () => true, onEvent: () => undefined}), {
    message: 'cannot read events with the "none" backend',
  })
  await writeEvent({...config, backend: 'none'}, newEvent('volume', 'create', {Name: 'dropped'}))
  t.deepEqual((await readAll(config)).map((e) => e.Name), ['old', 'new'])
})

test('containers.conf sets the logger, the log file and its limit; --events-backend wins; journald is refused', (t) => {
  const dir = tempDir(t)
  const conf = path.join(dir, 'containers.conf')
  const saved = process.env.CONTAINERS_CONF
  t.teardown(() => (saved === undefined ? delete process.env.CONTAINERS_CONF : (process.env.CONTAINERS_CONF = saved)))
  process.env.CONTAINERS_CONF = conf
  fs.writeFileSync(conf, '[engine]\nevents_logger = "none"\n')
  t.deepEqual(loadEventsConfig('/run/x'), {backend: 'none', path: '/run/x/events/events.log', maxSize: DEFAULT_EVENTS_LOG_MAX_SIZE})
  t.is(loadEventsConfig('/run/x', 'file').backend, 'file')
  fs.writeFileSync(conf, `[engine]\nevents_logfile_path = "${dir}/e.log"\nevents_logfile_max_size = 4750\n`)
  t.deepEqual(loadEventsConfig('/run/x'), {backend: 'file', path: `${dir}/e.log`, maxSize: 4750})
  fs.writeFileSync(conf, '[engine]\nevents_logfile_max_size = "1m"\n')
  t.is(loadEventsConfig('/run/x').maxSize, 1_000_000)
  t.throws(() => loadEventsConfig('/run/x', 'journald'), {message: /journald events backend is not available in tspod/})
  t.throws(() => loadEventsConfig('/run/x', 'bogus'), {message: 'configuring runtime: "bogus" is not a valid events backend: invalid argument'})
})
