// The environment flags as Podman parses them (pkg/specgenutil, pkg/env): -e, --env-file,
// --env-host and --http-proxy, resolved against the host's environment when they are parsed.
// runtime/spec/env.ts merges the result with the defaults and the image's Env at create.
import * as fs from 'node:fs'

import {UsageError} from '../errors'
import {systemErrorText} from '../runtime/spec/system-error'

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

export interface EnvOptions {
  /** -e/--env values */
  env?: string[]
  /** --env-file paths */
  envFile?: string[]
  envHost?: boolean
  /** --http-proxy (Podman's default: true) */
  httpProxy?: boolean
}

/**
 * The variables the options set, in Podman's order (later ones win): the host's (--env-host,
 * else with --http-proxy its proxy variables), the --env-file files, then -e. Host values are
 * read now, as Podman reads them when it parses the flags.
 */
export function resolveEnv(options: EnvOptions, hostEnv: NodeJS.ProcessEnv): [string, string][] {
  const env: EnvMap = new Map()
  if (options.envHost) {
    for (const [k, v] of hostEntries(hostEnv)) env.set(k, v)
  } else if (options.httpProxy ?? true) {
    for (const name of PROXY_ENV) {
      const value = hostEnv[name]
      if (value !== undefined) env.set(name, value)
    }
  }
  for (const file of options.envFile ?? []) parseEnvFile(file, hostEnv, env)
  parseEnvEntries(options.env ?? [], hostEnv, env)
  return [...env]
}
