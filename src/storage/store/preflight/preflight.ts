// Preflight entry points: the store's roots (doctor, every store command), and any list of paths
// a container will use (the runtime: layer dirs, upper/work/merged, bind-mount sources), checked
// before anything is mounted; and the translation of a kernel EACCES/EPERM into the same words.
import {TspodError} from '../../../errors'
import {StorageConfig} from '../../config/storage-conf'
import {AccessNeed, AccessWalk, PreflightUser, WalkOptions, walkAccess} from './access-walk'
import {AccessFinding} from './finding-text'

export interface PreflightPath {
  path: string
  need: AccessNeed
  /** what it is, in messages: "layer dir", "upper dir", "bind mount source" */
  role: string
}

export function storePaths(config: StorageConfig): PreflightPath[] {
  return [
    {path: config.graphRoot, need: 'write', role: 'graph root'},
    {path: config.runRoot, need: 'write', role: 'run root'},
  ]
}

/** Walk the graph root and the run root (each needs write access for the user). */
export function checkStorePaths(config: StorageConfig, user: PreflightUser, opts: Omit<WalkOptions, 'role'> = {}): AccessWalk[] {
  return checkPaths(storePaths(config), user, opts)
}

/** Walk each path the way `walkAccess` does, with its own need and role. */
export function checkPaths(paths: PreflightPath[], user: PreflightUser, opts: Omit<WalkOptions, 'role'> = {}): AccessWalk[] {
  return paths.map((p) => walkAccess(p.path, user, p.need, {...opts, role: p.role}))
}

/** The findings of several walks, errors first, then warnings, then notes. */
export function findingsOf(walks: AccessWalk[]): AccessFinding[] {
  const rank = {error: 0, warning: 1, info: 2}
  return walks.flatMap((w) => w.findings).sort((a, b) => rank[a.severity] - rank[b.severity])
}

/**
 * When the kernel answers EACCES or EPERM while mounting or pivoting onto these paths, say why
 * in the preflight's words (the dir, its owner and mode, the group, the fixes) instead of a bare
 * errno. Other errors, and permission errors no finding explains, come back unchanged.
 */
export function explainPermissionError(err: unknown, walks: AccessWalk[]): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code !== 'EACCES' && code !== 'EPERM') return err
  const finding = findingsOf(walks).find((f) => f.severity !== 'info')
  if (!finding) return err
  const e = err as Error & {errno?: number; syscall?: string}
  return new TspodError(`${e.message}: ${finding.message}; fix: ${finding.fix}`, {
    code,
    errno: e.errno,
    syscall: e.syscall,
    path: finding.path,
    cause: err,
  })
}
