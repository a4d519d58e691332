// Where events go: containers.conf's events_logger and log file, under --events-backend.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {DEFAULT_EVENTS_LOG_MAX_SIZE, loadEventsConfig, parseEventsBackend} from '../../src/events/config'

function withContainersConf<T>(text: string, fn: () => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-conf-'))
  const file = path.join(dir, 'containers.conf')
  fs.writeFileSync(file, text)
  const saved = process.env.CONTAINERS_CONF
  process.env.CONTAINERS_CONF = file
  try {
    return fn()
  } finally {
    if (saved === undefined) delete process.env.CONTAINERS_CONF
    else process.env.CONTAINERS_CONF = saved
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

test.serial('the file logger under the run root by default, 1 MB; --events-backend over the config', (t) => {
  withContainersConf('', () => {
    t.deepEqual(loadEventsConfig('/run/x'), {backend: 'file', path: '/run/x/events/events.log', maxSize: DEFAULT_EVENTS_LOG_MAX_SIZE})
    t.is(loadEventsConfig('/run/x', 'none').backend, 'none')
  })
  withContainersConf('[engine]\nevents_logger = "none"\nevents_logfile_path = "/tmp/ev.log"\nevents_logfile_max_size = 0\n', () => {
    t.deepEqual(loadEventsConfig('/run/x'), {backend: 'none', path: '/tmp/ev.log', maxSize: 0})
    t.is(loadEventsConfig('/run/x', 'file').backend, 'file')
  })
  withContainersConf('[engine]\nevents_logger = "journald"\n', () => {
    t.is(loadEventsConfig('/run/x').backend, 'file', 'journald in containers.conf (Podman\'s default on systemd hosts) is read as file')
  })
})

test('backend names: file and none; journald refused with the alternatives; others in Podman\'s words', (t) => {
  t.is(parseEventsBackend('none', 'x'), 'none')
  t.throws(() => parseEventsBackend('journald', '--events-backend'), {message: /^--events-backend: the journald events backend is not available in tspod: use "file" or "none"$/})
  t.throws(() => parseEventsBackend('syslog', '--events-backend'), {message: 'configuring runtime: "syslog" is not a valid events backend: invalid argument'})
})
