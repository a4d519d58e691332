// The init binary `--init` runs as the container's pid 1 (catatonit), found the way Podman finds
// it (containers/common Config.FindInitBinary, pkg/specgen/generate addContainerInitBinary):
// --init-path, else containers.conf's init_path, else /usr/libexec/podman/catatonit, else the
// helper binary dirs, else $PATH (Debian installs it as /usr/bin/catatonit).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../../errors'
import {systemErrorText} from './system-error'

/** containers/common DefaultInitPath. */
export const DEFAULT_INIT_PATH = '/usr/libexec/podman/catatonit'
export const INIT_BINARY_NAME = 'catatonit'
/** containers/common defaultHelperBinariesDir on Linux. */
export const HELPER_BINARIES_DIRS: readonly string[] = ['/usr/local/libexec/podman', '/usr/local/lib/podman', '/usr/libexec/podman', '/usr/lib/podman']

export interface InitLookup {
  /** --init-path */
  initPath?: string
  /** containers.conf `init_path` ([containers] or [engine]) */
  configured?: string
  /** $PATH to search last; default process.env.PATH */
  searchPath?: string
  /** where to look before $PATH; default DEFAULT_INIT_PATH and HELPER_BINARIES_DIRS */
  defaultPath?: string
  helperDirs?: readonly string[]
}

/** Go's exec.LookPath on an absolute path: a regular file with an execute bit. */
function executable(file: string): boolean {
  try {
    const st = fs.statSync(file)
    return st.isFile() && (st.mode & 0o111) !== 0
  } catch {
    return false
  }
}

function findInitBinary(lookup: InitLookup): string {
  if (lookup.configured) return lookup.configured
  const defaultPath = lookup.defaultPath ?? DEFAULT_INIT_PATH
  if (fs.existsSync(defaultPath)) return defaultPath
  for (const dir of lookup.helperDirs ?? HELPER_BINARIES_DIRS) {
    const candidate = path.join(dir, INIT_BINARY_NAME)
    if (executable(candidate)) return candidate
  }
  for (const dir of (lookup.searchPath ?? process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir || '.', INIT_BINARY_NAME)
    if (executable(candidate)) return path.isAbsolute(candidate) ? candidate : path.resolve(candidate)
  }
  throw new UsageError(`lookup init binary: exec: "${INIT_BINARY_NAME}": executable file not found in $PATH`)
}

/** The host path of the init binary to bind at /run/podman-init; throws in Podman's words when it is missing. */
export function resolveInitBinary(lookup: InitLookup = {}): string {
  const initPath = lookup.initPath || findInitBinary(lookup)
  try {
    fs.statSync(initPath)
  } catch (err) {
    // only a missing file stops Podman here (fileutils.Exists and fs.ErrNotExist)
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR')
      throw new UsageError(`container-init binary not found on the host: stat ${initPath}: ${systemErrorText(e)}`, {code: e.code, path: initPath})
  }
  return initPath
}
