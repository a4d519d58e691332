// How long a registry may send nothing before tspod abandons the request and tries again:
// $TSPOD_REGISTRY_IDLE_TIMEOUT, else containers.conf's `[engine] registry_idle_timeout`, else
// 10 s. Both take a Go duration ("10s", "1m30s"), as containers.conf's other durations.
import {TspodError} from '../../../errors'
import {parseGoDuration} from '../../../runtime/time-value'
import {DEFAULT_IDLE_TIMEOUT_MS} from '../transports/docker/http-request'
import {loadContainersConf} from '../../config/containers-conf'

export const IDLE_TIMEOUT_ENV = 'TSPOD_REGISTRY_IDLE_TIMEOUT'
export const IDLE_TIMEOUT_KEY = 'registry_idle_timeout'

interface Env {
  [key: string]: string | undefined
}

/** The idle timeout in ms; a value that is not a positive duration is an error naming where it was set. */
export function registryIdleTimeoutMs(env: Env = process.env, uid: number = process.getuid!()): number {
  const fromEnv = env[IDLE_TIMEOUT_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return positiveDuration(fromEnv, `$${IDLE_TIMEOUT_ENV}`)
  const fromConf = loadContainersConf(env, uid).registryIdleTimeout
  if (fromConf !== undefined) return positiveDuration(fromConf.text, `${IDLE_TIMEOUT_KEY} in ${fromConf.file}`)
  return DEFAULT_IDLE_TIMEOUT_MS
}

function positiveDuration(text: string, where: string): number {
  const ms = parseGoDuration(text.trim())
  if (ms === undefined || !(ms >= 1)) {
    throw new TspodError(`invalid registry idle timeout ${JSON.stringify(text)} (${where}): use a positive duration such as "10s" or "1m"`)
  }
  return Math.round(ms)
}
