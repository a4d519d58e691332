// `--security-opt`, parsed as Podman 4.3 parses it (pkg/specgenutil), with its messages. The
// forms tspod can honour are kept; the ones it cannot (SELinux labels other than disable,
// AppArmor profiles, proc-opts) are refused in one line rather than silently ignored.
import {UsageError} from '../errors'
import {UNCONFINED} from '../runtime/seccomp/container-profile'
import {loadProfileFile} from '../runtime/seccomp/profile'
import type {SecurityOptions} from './container-spec'

function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false
  return undefined
}

function absolutePaths(list: string, option: string): string[] {
  const paths = list.split(':').filter((p) => p !== '')
  for (const p of paths) if (!p.startsWith('/')) throw new UsageError(`--security-opt ${option}: ${JSON.stringify(p)} must be an absolute path`)
  return paths
}

export function parseSecurityOpts(values: string[] | undefined): SecurityOptions {
  const out: SecurityOptions = {mask: [], unmask: []}
  for (const opt of values ?? []) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true
      continue
    }
    // Podman takes KEY:VALUE too (Docker's old syntax) when there is no '='
    let eq = opt.indexOf('=')
    if (eq < 0) eq = opt.indexOf(':')
    if (eq < 0) throw new UsageError(`invalid --security-opt 1: ${JSON.stringify(opt)}`)
    const key = opt.slice(0, eq)
    const value = opt.slice(eq + 1)
    switch (key) {
      case 'seccomp':
        out.seccomp = value === '' ? undefined : value
        break
      case 'no-new-privileges': {
        const flag = parseBool(value)
        if (flag === undefined) throw new UsageError(`invalid --security-opt 2: ${JSON.stringify(opt)}`)
        out.noNewPrivileges = flag
        break
      }
      case 'label':
        if (value !== 'disable') throw new UsageError(`--security-opt ${opt}: tspod applies no SELinux labels; only label=disable is accepted`)
        out.label = value
        break
      case 'apparmor':
        if (value !== 'unconfined') throw new UsageError(`--security-opt ${opt}: tspod applies no AppArmor profiles; only apparmor=unconfined is accepted`)
        out.apparmor = value
        break
      case 'mask':
        out.mask.push(...absolutePaths(value, opt))
        break
      case 'unmask':
        out.unmask.push(...(value === 'ALL' ? ['ALL'] : absolutePaths(value, opt)))
        break
      // Docker's name for unmask=ALL
      case 'systempaths':
        if (value !== 'unconfined') throw new UsageError(`invalid systempaths option ${JSON.stringify(value)}, only \`unconfined\` is supported`)
        out.unmask.push('ALL')
        break
      case 'proc-opts':
        throw new UsageError(`--security-opt ${opt}: proc mount options are not supported by tspod`)
      default:
        throw new UsageError(`invalid --security-opt 2: ${JSON.stringify(opt)}`)
    }
  }
  return out
}

/** The paths left masked (or read-only) once --security-opt mask= and unmask= are applied. */
export function applyMasks(paths: string[], security: SecurityOptions, extra: string[] = []): string[] {
  const kept = security.unmask.includes('ALL') ? [] : paths.filter((p) => !security.unmask.includes(p))
  return [...new Set([...kept, ...extra])]
}

/** Parse the options and read a seccomp profile they name, so that a bad one fails early. */
export function checkSecurityOpts(values: string[] | undefined): SecurityOptions {
  const security = parseSecurityOpts(values)
  if (security.seccomp !== undefined && security.seccomp !== UNCONFINED) loadProfileFile(security.seccomp)
  return security
}
