// The keys tspod takes from Podman's containers.conf, read from Podman's locations in Podman's
// order (containers/common pkg/config): $CONTAINERS_CONF alone when set; else
// /usr/share/containers/containers.conf, /etc/containers/containers.conf and its .d dir, then
// (rootless) $XDG_CONFIG_HOME/containers/containers.conf and its .d dir. A later file's key wins.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../errors'

export interface ContainersConf {
  /** [containers] seccomp_profile: a profile path, or "unconfined" */
  seccompProfile?: string
}

/** containers/common's default for seccomp_profile. */
export const DEFAULT_SECCOMP_PROFILE = '/usr/share/containers/seccomp.json'

interface Env {
  [key: string]: string | undefined
}

function dropInFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.conf'))
      .sort()
      .map((f) => path.join(dir, f))
  } catch {
    return []
  }
}

export function containersConfFiles(env: Env = process.env, uid = process.getuid!()): string[] {
  if (env.CONTAINERS_CONF) return [env.CONTAINERS_CONF]
  const files = ['/usr/share/containers/containers.conf', '/etc/containers/containers.conf', ...dropInFiles('/etc/containers/containers.conf.d')]
  if (uid !== 0) {
    const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.userInfo().homedir, '.config')
    const user = path.join(configHome, 'containers')
    files.push(path.join(user, 'containers.conf'), ...dropInFiles(path.join(user, 'containers.conf.d')))
  }
  return files
}

/** Files without the key are not parsed: Debian's own containers.conf has it commented out. */
const SECCOMP_KEY = /^\s*seccomp_profile\s*=/m

function seccompProfileOf(file: string): string | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new TspodError(`reading ${file}: ${(err as Error).message}`, {path: file, cause: err})
  }
  if (!SECCOMP_KEY.test(text)) return undefined
  let table: Record<string, unknown>
  try {
    const {parse} = require('smol-toml') as typeof import('smol-toml')
    table = parse(text) as Record<string, unknown>
  } catch (err) {
    throw new TspodError(`${file}: invalid TOML: ${(err as Error).message.split('\n')[0]}`, {path: file, cause: err})
  }
  const containers = table.containers as Record<string, unknown> | undefined
  const value = containers?.seccomp_profile
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new TspodError(`${file}: "seccomp_profile" must be a string`, {path: file})
  return value
}

export function readContainersConf(files: string[] = containersConfFiles()): ContainersConf {
  const conf: ContainersConf = {}
  for (const file of files) {
    const profile = seccompProfileOf(file)
    if (profile !== undefined) conf.seccompProfile = profile
  }
  return conf
}
