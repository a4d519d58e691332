// The registry idle timeout: $TSPOD_REGISTRY_IDLE_TIMEOUT over containers.conf's [engine] key over 10 s.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {registryIdleTimeoutMs} from '../../../../src/storage/image/config/registry-idle-timeout'

function confFile(t: {teardown(fn: () => void): void}, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-conf-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'containers.conf')
  fs.writeFileSync(file, text)
  return file
}

test('10 s unless set', (t) => {
  const file = confFile(t, '[engine]\nretry = 3\n')
  t.is(registryIdleTimeoutMs({CONTAINERS_CONF: file}, 1000), 10_000)
})

test('containers.conf [engine] registry_idle_timeout, a Go duration; the last file that sets it wins', (t) => {
  const file = confFile(t, '[engine]\nregistry_idle_timeout = "1m30s"\n')
  t.is(registryIdleTimeoutMs({CONTAINERS_CONF: file}, 1000), 90_000)
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-conf-'))
  t.teardown(() => fs.rmSync(config, {recursive: true, force: true}))
  fs.mkdirSync(path.join(config, 'containers/containers.conf.d'), {recursive: true})
  fs.writeFileSync(path.join(config, 'containers/containers.conf'), '[engine]\nregistry_idle_timeout = "20s"\n')
  fs.writeFileSync(path.join(config, 'containers/containers.conf.d/50-pull.conf'), '[engine]\nregistry_idle_timeout = "2500ms"\n')
  t.is(registryIdleTimeoutMs({XDG_CONFIG_HOME: config}, 1000), 2500)
})

test('the environment wins over containers.conf; an empty variable is unset', (t) => {
  const file = confFile(t, '[engine]\nregistry_idle_timeout = "30s"\n')
  t.is(registryIdleTimeoutMs({CONTAINERS_CONF: file, TSPOD_REGISTRY_IDLE_TIMEOUT: '5s'}, 1000), 5000)
  t.is(registryIdleTimeoutMs({CONTAINERS_CONF: file, TSPOD_REGISTRY_IDLE_TIMEOUT: ''}, 1000), 30_000)
})

test('a value that is not a positive duration is an error naming where it was set', (t) => {
  const file = confFile(t, '[engine]\nregistry_idle_timeout = "10"\n')
  t.throws(() => registryIdleTimeoutMs({CONTAINERS_CONF: file}, 1000), {
    message: `invalid registry idle timeout "10" (registry_idle_timeout in ${file}): use a positive duration such as "10s" or "1m"`,
  })
  for (const value of ['-1s', '0', '0s', 'soon']) {
    t.throws(() => registryIdleTimeoutMs({CONTAINERS_CONF: file, TSPOD_REGISTRY_IDLE_TIMEOUT: value}, 1000), {
      message: `invalid registry idle timeout ${JSON.stringify(value)} ($TSPOD_REGISTRY_IDLE_TIMEOUT): use a positive duration such as "10s" or "1m"`,
    })
  }
  const notString = confFile(t, '[engine]\nregistry_idle_timeout = 10\n')
  t.throws(() => registryIdleTimeoutMs({CONTAINERS_CONF: notString}, 1000), {
    message: `reading system config "${notString}": registry_idle_timeout must be a string`,
  })
})
