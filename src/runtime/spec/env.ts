// The container's environment, merged in Podman's order (pkg/specgen/generate/container.go,
// pkg/specgenutil, pkg/env, libpod's HOSTNAME and HOME): later sources win.
//
//   1. PATH=<default>, TERM=xterm (containers.conf's default env) and container=podman
//   2. the image's Env (busybox-style images set container=oci here, which then wins)
//   3. --unsetenv NAME removes one of these defaults, --unsetenv-all all of them
//   4. --env-host: the whole host environment; otherwise (--http-proxy, on by default) the
//      host's proxy variables
//   5. --env-file files in order, then -e/--env values
//   6. HOME and HOSTNAME when still unset (HOME from the user's passwd entry, else "/")
//
// Everything here is computed before the runtime switches to the container user, so the values
// cannot be lost to a config file the new user cannot read (field note 4).
import * as fs from 'node:fs'

import {UsageError} from '../../errors'
import {DEFAULT_PATH} from './defaults'
import {systemErrorText} from './system-error'

/** The proxy variables `--http-proxy` (default true) copies from the host (containers/common). */
export const PROXY_ENV = ['http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY']

export type EnvMap = Map<string, string>

function hostEntries(hostEnv: NodeJS.ProcessEnv): [string, string][] {
  return Object.entries(hostEnv).filter((e): e is [string, string] => e[1] !== undefined)
}

/**
 * One `-e` or env-file entry, as Podman's parseEnv: `KEY=VAL`; `KEY` alone takes the host's
 * value and is skipped when the host has none; `PREFIX*` copies every host variable whose name
 * starts with PREFIX.
 */
export function applyEnvEntry(env: EnvMap, entry: string, hostEnv: NodeJS.ProcessEnv): void {
  const eq = entry.indexOf('=')
  const key = eq < 0 ? entry : entry.slice(0, eq)
  const name = key.replace(/^[ \t]+/, '')
  if (key === '' || name === '') throw new UsageError(`invalid variable: ${JSON.stringify(entry)}`)
  if (eq >= 0) {
    env.set(name, entry.slice(eq + 1))
  } else if (name.endsWith('*')) {
    const prefix = name.slice(0, -1)
    for (const [k, v] of hostEntries(hostEnv)) if (k.startsWith(prefix)) env.set(k, v)
  } else if (hostEnv[name] !== undefined) {
    env.set(name, hostEnv[name]!)
  }
}

/** `-e` values in order. */
export function parseEnvEntries(entries: string[], hostEnv: NodeJS.ProcessEnv, env: EnvMap = new Map()): EnvMap {
  for (const entry of entries) applyEnvEntry(env, entry, hostEnv)
  return env
}

/** An `--env-file`: entries one a line, leading blanks ignored, blank lines and # comments skipped. */
export function parseEnvFile(file: string, hostEnv: NodeJS.ProcessEnv, env: EnvMap = new Map()): EnvMap {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`parsing file ${JSON.stringify(file)}: open ${file}: ${systemErrorText(err)}`, {
      code: (err as NodeJS.ErrnoException).code,
      path: file,
      cause: err,
    })
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '')
    if (line === '' || line.startsWith('#')) continue
    try {
      applyEnvEntry(env, line, hostEnv)
    } catch (err) {
      throw new UsageError(`parsing file ${JSON.stringify(file)}: ${(err as Error).message}`, {path: file})
    }
  }
  return env
}

export interface EnvRequest {
  /** the image config's Env */
  imageEnv?: string[]
  /** the environment of the tspod process: source of --env-host, -e KEY and proxies */
  hostEnv: NodeJS.ProcessEnv
  /** -e/--env values */
  env?: string[]
  /** --env-file paths */
  envFile?: string[]
  envHost?: boolean
  /** --http-proxy (Podman's default: true) */
  httpProxy?: boolean
  tty?: boolean
  hostname: string
  /** the process user's home directory */
  home: string
  /** --unsetenv: default or image variables to leave out */
  unsetenv?: string[]
  /** --unsetenv-all: none of the default or image variables */
  unsetenvAll?: boolean
}

function copyHost(env: EnvMap, request: EnvRequest): void {
  if (request.envHost) {
    for (const [k, v] of hostEntries(request.hostEnv)) env.set(k, v)
  } else if (request.httpProxy ?? true) {
    for (const name of PROXY_ENV) {
      const value = request.hostEnv[name]
      if (value !== undefined) env.set(name, value)
    }
  }
}

/** The image's Env: KEY=VAL entries. A bare name is dropped: an image never reads the host's variables. */
function applyImageEnv(env: EnvMap, imageEnv: string[]): void {
  for (const entry of imageEnv) {
    const eq = entry.indexOf('=')
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1))
  }
}

/** process.env for config.json, KEY=VALUE strings, each key once, in first-set order. */
export function buildEnv(request: EnvRequest): string[] {
  const env: EnvMap = new Map([
    ['PATH', DEFAULT_PATH],
    ['TERM', 'xterm'],
    ['container', 'podman'],
  ])
  applyImageEnv(env, request.imageEnv ?? [])
  if (request.unsetenvAll) env.clear()
  for (const name of request.unsetenv ?? []) env.delete(name)
  copyHost(env, request)
  for (const file of request.envFile ?? []) parseEnvFile(file, request.hostEnv, env)
  parseEnvEntries(request.env ?? [], request.hostEnv, env)
  if (!env.has('HOME')) env.set('HOME', request.home)
  if (!env.has('HOSTNAME')) env.set('HOSTNAME', request.hostname)
  return [...env].map(([k, v]) => `${k}=${v}`)
}
