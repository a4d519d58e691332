// src/engine/registry.ts: the registry words a front end needs: the idle timeout the pull flags
// pass on (env var, then containers.conf, then the default) and the duration text of a stall warning.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../src/errors'
import {formatDuration, registryIdleTimeoutMs} from '../../src/engine/registry'
import {DEFAULT_IDLE_TIMEOUT_MS} from '../../src/storage/image/transports/docker/http-request'

/** An environment whose only containers.conf is one the test writes (`conf`). */
function configEnv(t: {teardown(fn: () => void): void}, conf = ''): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-registry-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'containers.conf'), conf)
  return {HOME: dir, CONTAINERS_CONF: path.join(dir, 'containers.conf')}
}

test('the idle timeout: the environment variable over containers.conf, in Go\'s duration syntax', (t) => {
  const env = configEnv(t, '[engine]\nregistry_idle_timeout = "45s"\n')
  t.is(registryIdleTimeoutMs(env, 1000), 45_000)
  t.is(registryIdleTimeoutMs({...env, TSPOD_REGISTRY_IDLE_TIMEOUT: '1m30s'}, 1000), 90_000)
})

test('a bad value is an error naming where it was set', (t) => {
  t.throws(() => registryIdleTimeoutMs({...configEnv(t), TSPOD_REGISTRY_IDLE_TIMEOUT: 'soon'}, 1000), {
    instanceOf: TspodError,
    message: 'invalid registry idle timeout "soon" ($TSPOD_REGISTRY_IDLE_TIMEOUT): use a positive duration such as "10s" or "1m"',
  })
  const env = configEnv(t, '[engine]\nregistry_idle_timeout = "0s"\n')
  t.throws(() => registryIdleTimeoutMs(env, 1000), {instanceOf: TspodError, message: new RegExp(`^invalid registry idle timeout "0s" \\(registry_idle_timeout in ${env.CONTAINERS_CONF}\\)`)})
})

test('the idle timeout without a setting is the default', (t) => {
  t.is(registryIdleTimeoutMs(configEnv(t), 1000), DEFAULT_IDLE_TIMEOUT_MS)
})

test('durations as Go prints them', (t) => {
  t.is(formatDuration(30_000), '30s')
  t.is(formatDuration(90_000), '1m30s')
  t.is(formatDuration(1500), '1.5s')
})
