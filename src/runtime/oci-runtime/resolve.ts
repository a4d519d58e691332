// Which external OCI runtime `--runtime NAME|PATH` means: a name looked up in PATH (then in the
// dirs containers.conf lists for crun and runc), a path taken as given; and what it is, from its
// own `--version`, since crun and runc differ in when they drop the supplementary groups.
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../../errors'
import {ContainersConf, readContainersConf} from '../../storage/config/containers-conf'

/** Where containers.conf's [engine.runtimes] looks for crun and runc when PATH has neither. */
const DEFAULT_RUNTIME_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/sbin', '/bin', '/run/current-system/sw/bin']

export type OciRuntimeKind = 'crun' | 'runc' | 'other'

export interface OciRuntimeInfo {
  /** absolute path of the executable */
  path: string
  /** the name in messages, as Podman prints it ("crun: ..."): the basename */
  name: string
  kind: OciRuntimeKind
  /** from `--version` ("1.8.1"); undefined when it does not say */
  version?: string
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false
    fs.accessSync(file, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The name of tspod's native runtime: what `inspect` shows (OCIRuntime) for it, and what --runtime or containers.conf's [engine] runtime call it (stored as no runtime). */
export const NATIVE_RUNTIME = 'tspod'

/**
 * The runtime of a new container or RUN step, as Podman chooses it: --runtime, else containers.conf's
 * [engine] runtime; undefined is tspod's native runtime (neither set, or either set to "tspod").
 */
export function chosenRuntime(flag: string | undefined, conf: Pick<ContainersConf, 'runtime'> = readContainersConf()): string | undefined {
  const name = flag ?? conf.runtime
  return name === NATIVE_RUNTIME ? undefined : name
}

/**
 * The runtime's executable: a path (anything with a slash) as given; a name in the paths that
 * containers.conf's [engine.runtimes] lists for it, then through PATH, then the usual bin dirs.
 */
export function resolveOciRuntime(name: string, searchPath: string = process.env.PATH ?? '', runtimePaths: Record<string, string[]> | undefined = readContainersConf().runtimePaths): string {
  if (name === '') throw new UsageError('default OCI runtime "" not found: invalid argument')
  if (name.includes('/')) {
    const file = path.resolve(name)
    if (!isExecutableFile(file)) throw new UsageError(`no valid executable found for OCI runtime ${name}: invalid argument`)
    return file
  }
  const listed = (runtimePaths?.[name] ?? []).find((file) => path.isAbsolute(file) && isExecutableFile(file))
  if (listed) return listed
  const dirs = [...searchPath.split(':').filter((d) => path.isAbsolute(d)), ...DEFAULT_RUNTIME_DIRS]
  for (const dir of dirs) {
    const file = path.join(dir, name)
    if (isExecutableFile(file)) return file
  }
  throw new UsageError(`default OCI runtime "${name}" not found: invalid argument`)
}

/** `crun version 1.8.1` / `runc version 1.1.5+ds1`: the first line of `--version`. */
export function parseRuntimeVersion(output: string): {kind: OciRuntimeKind; version?: string} {
  const m = /^\s*(\S+) version (\S+)/.exec(output)
  if (!m) return {kind: 'other'}
  const kind = m[1] === 'crun' || m[1] === 'runc' ? m[1] : 'other'
  return {kind, version: m[2]}
}

/** Resolve and identify a runtime; its `--version` decides what it is, whatever the file is called. */
export function identifyOciRuntime(name: string): OciRuntimeInfo {
  const file = resolveOciRuntime(name)
  let output = ''
  try {
    output = execFileSync(file, ['--version'], {encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore']})
  } catch {
    // a runtime without --version: nothing known about it
  }
  return {path: file, name: path.basename(file), ...parseRuntimeVersion(output)}
}

/** Compare dotted versions numerically: "1.8.1" < "1.10". */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
  if (!version) return false
  const parts = (v: string) => v.split(/[.+~-]/).map((p) => Number.parseInt(p, 10))
  const have = parts(version)
  const want = parts(minimum)
  for (let i = 0; i < want.length; i++) {
    const h = Number.isNaN(have[i]) || have[i] === undefined ? 0 : have[i]
    if (h !== want[i]) return h > want[i]
  }
  return true
}
