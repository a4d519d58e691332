// The container's environment, merged in Podman's order (pkg/specgen/generate/container.go,
// pkg/specgenutil, pkg/env, libpod's HOSTNAME and HOME): later sources win.
//
//   1. PATH=<default>, TERM=xterm (containers.conf's default env) and container=podman
//   2. the image's Env (busybox-style images set container=oci here, which then wins)
//   3. --unsetenv NAME removes one of these defaults, --unsetenv-all all of them
//   4. the spec's variables (specgen/env.ts): --env-host or the host's proxy variables, then
//      --env-file files in order, then -e/--env values
//   5. HOME and HOSTNAME when still unset (HOME from the user's passwd entry, else "/")
//
// Everything here is computed before the runtime switches to the container user, so the values
// cannot be lost to a config file the new user cannot read (field note 4).
import {DEFAULT_PATH} from './defaults'

export interface EnvRequest {
  /** the image config's Env */
  imageEnv?: string[]
  /** the container spec's variables, in order */
  env?: [string, string][]
  hostname: string
  /** the process user's home directory */
  home: string
  /** --unsetenv: default or image variables to leave out */
  unsetenv?: string[]
  /** --unsetenv-all: none of the default or image variables */
  unsetenvAll?: boolean
}

/** The image's Env: KEY=VAL entries. A bare name is dropped: an image never reads the host's variables. */
function applyImageEnv(env: Map<string, string>, imageEnv: string[]): void {
  for (const entry of imageEnv) {
    const eq = entry.indexOf('=')
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1))
  }
}

/** process.env for config.json, KEY=VALUE strings, each key once, in first-set order. */
export function buildEnv(request: EnvRequest): string[] {
  const env = new Map([
    ['PATH', DEFAULT_PATH],
    ['TERM', 'xterm'],
    ['container', 'podman'],
  ])
  applyImageEnv(env, request.imageEnv ?? [])
  if (request.unsetenvAll) env.clear()
  for (const name of request.unsetenv ?? []) env.delete(name)
  for (const [k, v] of request.env ?? []) env.set(k, v)
  if (!env.has('HOME')) env.set('HOME', request.home)
  if (!env.has('HOSTNAME')) env.set('HOSTNAME', request.hostname)
  return [...env].map(([k, v]) => `${k}=${v}`)
}
