// Before anything is mounted: how the user reaches every dir the container needs (the image's
// layers, its upper/work/merged dirs and each bind-mount source; see src/storage/store/preflight).
// The walks also explain a permission error the kernel gives later.
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {AccessWalk} from '../../storage/store/preflight/access-walk'
import type {AccessFinding} from '../../storage/store/preflight/finding-text'
import {PreflightPath, checkPaths, explainPermissionError, findingsOf} from '../../storage/store/preflight/preflight'
import type {Store} from '../../storage/store/store'
import {currentUser} from '../../userns/user'
import type {OciMount} from '../oci-spec'
import type {RootfsLayout} from '../plan'
import {namespacePath, rootfsPreflightPaths} from '../preflight-paths'

export interface ContainerPreflight {
  walks: AccessWalk[]
  /** one per dir at fault, however many of the container's paths pass through it */
  warnings: string[]
  /** a kernel permission error, explained by the walks when they know why */
  explain(err: unknown): unknown
}

/**
 * A finding as `run` reports it. For the store's own dirs (layers, upper, work, merged)
 * tspod's order makes a supplementary-group-only ancestor harmless — it mounts and pivots
 * before it sets the container's groups — so it says so, and why other runtimes fail.
 */
function runWarning(finding: AccessFinding): string {
  if (finding.kind === 'supplementary-group-only' && finding.role !== 'bind mount source') {
    const why = finding.message.split('; inside the user namespace')[0]
    return `${why}; tspod mounts and pivots into the container before it sets the container's groups, so this run works, but runtimes that drop supplementary groups first (crun, runc) fail with "Permission denied" here; fix: ${finding.fix}`
  }
  return `${finding.message}; fix: ${finding.fix}`
}

export function containerPreflight(store: Store, mounts: OciMount[], layout: RootfsLayout, userdata: string, keepGroups: boolean): ContainerPreflight {
  const binds = mounts.filter((m) => m.type === 'bind' && m.source && !m.source.startsWith(userdata) && path.isAbsolute(m.source) && !m.source.startsWith('/dev/'))
  const paths: PreflightPath[] = [
    ...rootfsPreflightPaths(layout, store.mapping),
    ...binds.map((m) => namespacePath(store.mapping, m.source!, m.options?.includes('ro') ? 'read' : 'write', 'bind mount source')),
  ]
  const walks = checkPaths(paths, currentUser(), {mapping: store.mapping, keepGroups})
  const findings = findingsOf(walks).filter((f) => f.severity !== 'info')
  const fatal = findings.find((f) => f.severity === 'error' && f.role === 'bind mount source')
  if (fatal) throw new TspodError(`${fatal.message}; fix: ${fatal.fix}`, {path: fatal.path})
  return {
    walks,
    warnings: [...new Set(findings.map(runWarning))],
    explain: (err) => explainPermissionError(err, walks),
  }
}
