// `tspod login`: check credentials against the registry, then store them in auth.json.
import {RegistriesConfig, findRegistry} from './config/registries-conf'
import {setCredentials} from './config/auth-file'
import {registryEndpoint} from './reference/docker-reference'
import {RegistryClient} from './transports/docker/client'
import {registryTimeouts} from './transports/docker/transport'

export async function login(
  target: string,
  credentials: {username: string; password: string},
  opts: {authFile?: string; tlsVerify?: boolean; registries: RegistriesConfig; signal?: AbortSignal; idleTimeoutMs?: number},
): Promise<string> {
  const key = target.replace(/^(docker|https?):\/\//, '').replace(/\/+$/, '')
  const host = key.split('/')[0]
  const insecure = opts.tlsVerify === undefined ? findRegistry(opts.registries, key)?.insecure ?? false : !opts.tlsVerify
  const client = new RegistryClient({registry: registryEndpoint(host === 'index.docker.io' ? 'docker.io' : host), repository: '', insecure, getCredentials: () => credentials, signal: opts.signal, timeouts: registryTimeouts(opts.idleTimeoutMs)})
  await client.checkAuth()
  return setCredentials(key, credentials.username, credentials.password, {authFile: opts.authFile})
}
