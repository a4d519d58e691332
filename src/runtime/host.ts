// Facts about the host that decide what rootless containers can do here.
import * as fs from 'node:fs'
import * as os from 'node:os'

const CGROUP2_SUPER_MAGIC = 0x63677270

export interface Distribution {
  distribution: string
  version: string
  codename?: string
}

export function readDistribution(file = '/etc/os-release'): Distribution {
  const fields: Record<string, string> = {}
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim())
      if (m) fields[m[1]] = m[2].replace(/^"(.*)"$/, '$1')
    }
  } catch {
    return {distribution: 'unknown', version: 'unknown'}
  }
  return {distribution: fields.ID ?? 'unknown', version: fields.VERSION_ID ?? 'unknown', codename: fields.VERSION_CODENAME}
}

export interface CgroupInfo {
  /** 'v2' only for a pure unified hierarchy; a hybrid setup counts as v1, as in Podman */
  version: 'v1' | 'v2'
  /** the controllers available to this process's own cgroup (v2) */
  controllers: string[]
}

export function readCgroupInfo(): CgroupInfo {
  let unified = false
  try {
    unified = fs.statfsSync('/sys/fs/cgroup').type === CGROUP2_SUPER_MAGIC
  } catch {
    unified = false
  }
  if (!unified) return {version: 'v1', controllers: []}
  let controllers: string[] = []
  try {
    const own = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'))
    const dir = '/sys/fs/cgroup' + (own ? own.slice(3) : '')
    controllers = fs.readFileSync(`${dir}/cgroup.controllers`, 'utf8').trim().split(/\s+/).filter(Boolean)
  } catch {
    controllers = []
  }
  return {version: 'v2', controllers}
}

export function readNumberFile(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim())
    return Number.isFinite(n) ? n : undefined
  } catch {
    return undefined
  }
}

export function maxUserNamespaces(): number | undefined {
  return readNumberFile('/proc/sys/user/max_user_namespaces')
}

export function hostname(): string {
  return os.hostname()
}
