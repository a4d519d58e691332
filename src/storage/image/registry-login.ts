// `tspod login`/`logout` as a library (containers/common's pkg/auth): the credentials key a
// registry argument names, a check of credentials against the registry, and auth.json edits.
import {TspodError, UsageError} from '../../errors'
import {RegistriesConfig, findRegistry} from './config/registries-conf'
import {Credentials, getCredentials, setCredentials} from './config/auth-file'
import {parseNormalizedName, registryEndpoint} from './reference/docker-reference'
import {RegistryClient} from './transports/docker/client'
import {UnauthorizedError} from './transports/docker/errors'
import {registryTimeouts, registryTls} from './transports/docker/transport'

export interface LoginContext {
  authFile?: string
  tlsVerify?: boolean
  certDir?: string
  registries: RegistriesConfig
  signal?: AbortSignal
  idleTimeoutMs?: number
}

export interface CredentialsKey {
  /** what auth.json is keyed by: "host[:port]" or "host[:port]/namespace/repo" */
  key: string
  /** host[:port] */
  registry: string
}

/**
 * The key a login argument names: a URL gives its host[:port]; a repository ("host/ns/repo",
 * normalized, without tag or digest) is a key of its own when acceptRepositories.
 */
export function parseCredentialsKey(arg: string, acceptRepositories: boolean): CredentialsKey {
  let key = arg.replace(/^docker:\/\//, '')
  if (/^https?:\/\//.test(key)) {
    try {
      key = new URL(key).host
    } catch {
      throw new UsageError(`parsing URL ${JSON.stringify(arg)}: invalid URL`)
    }
  }
  const registry = key.split('/')[0]
  if (!registry) throw new UsageError(`invalid registry ${JSON.stringify(arg)}`)
  if (!acceptRepositories || key === registry) return {key: registry, registry}
  let ref
  try {
    ref = parseNormalizedName(key)
  } catch (err) {
    throw new UsageError(`parse reference from ${JSON.stringify(key)}: ${(err as Error).message}`)
  }
  if (ref.tag !== undefined || ref.digest !== undefined) throw new UsageError(`reference ${JSON.stringify(key)} contains tag or digest`)
  return {key: `${ref.domain}/${ref.path}`, registry: ref.domain}
}

/** The registry a login or logout without an argument is for: the first unqualified-search registry. */
export function defaultRegistry(registries: RegistriesConfig): string {
  const first = registries.unqualifiedSearchRegistries[0]
  if (first === undefined) throw new UsageError('please provide a registry to login to')
  return first
}

/** The credentials stored for key, as a pull of it would find them. */
export function storedCredentials(target: CredentialsKey, opts: {authFile?: string}): Credentials | undefined {
  const [host, ...path] = target.key.split('/')
  return getCredentials(host, path.length > 0 ? path.join('/') : undefined, {authFile: opts.authFile})
}

/**
 * Check the credentials with the registry (containers/image's CheckAuth). Wrong ones are
 * `logging into "<key>": invalid username/password`; any other failure says what went wrong.
 */
export async function checkCredentials(target: CredentialsKey, credentials: {username: string; password: string}, opts: LoginContext): Promise<void> {
  const insecure = opts.tlsVerify === undefined ? findRegistry(opts.registries, target.key)?.insecure ?? false : !opts.tlsVerify
  const endpoint = registryEndpoint(target.registry === 'index.docker.io' ? 'docker.io' : target.registry)
  const client = new RegistryClient({
    registry: endpoint,
    repository: '',
    insecure,
    tls: registryTls(endpoint, {certDir: opts.certDir}),
    getCredentials: () => credentials,
    signal: opts.signal,
    timeouts: registryTimeouts(opts.idleTimeoutMs),
  })
  try {
    await client.checkAuth()
  } catch (err) {
    if (err instanceof UnauthorizedError) throw new TspodError(`logging into ${JSON.stringify(target.key)}: invalid username/password`, {cause: err})
    throw new TspodError(`authenticating creds for ${JSON.stringify(target.key)}: ${(err as Error).message}`, {cause: err})
  }
}

/** Check the credentials, then store them; returns the auth file written. */
export async function login(target: CredentialsKey, credentials: {username: string; password: string}, opts: LoginContext): Promise<string> {
  await checkCredentials(target, credentials, opts)
  return setCredentials(target.key, credentials.username, credentials.password, {authFile: opts.authFile})
}
