// User-namespace id maps: planned from /etc/subuid and /etc/subgid, written through
// newuidmap/newgidmap (so /proc/PID/setgroups stays `allow`), or, for a user without ranges,
// a single self-mapping written directly with setgroups `deny`.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../errors'
import {ProgramResult, native} from '../native'
import {SUBGID_FILE, SUBUID_FILE, SubIdRange, rangesFor, readSubIdFile} from './subid'
import {HostUser} from './user'

export interface IdMapping {
  containerID: number
  hostID: number
  size: number
}

export interface UserNamespaceMapping {
  mode: 'subid' | 'single'
  uidMap: IdMapping[]
  gidMap: IdMapping[]
  /** what /proc/PID/setgroups holds in the namespace, always set explicitly */
  setgroups: 'allow' | 'deny'
  /** why the single mapping was chosen, for a warning */
  reason?: string
}

export interface SubIdFiles {
  subuid: string
  subgid: string
}

const DEFAULT_FILES: SubIdFiles = {subuid: SUBUID_FILE, subgid: SUBGID_FILE}

function rangesToMap(hostID: number, ranges: SubIdRange[]): IdMapping[] {
  const map: IdMapping[] = [{containerID: 0, hostID, size: 1}]
  let next = 1
  for (const r of ranges) {
    map.push({containerID: next, hostID: r.start, size: r.count})
    next += r.count
  }
  return map
}

function checkOwnIdOutside(kind: string, file: string, id: number, ranges: SubIdRange[]): void {
  const hit = ranges.find((r) => id >= r.start && id < r.start + r.count)
  if (hit)
    throw new TspodError(
      `invalid configuration: the specified mapping ${hit.start}:${hit.count} in "${file}" includes the user ${kind}`,
    )
}

export function planUserNamespaceMapping(user: HostUser, files: SubIdFiles = DEFAULT_FILES): UserNamespaceMapping {
  const uidRanges = rangesFor(readSubIdFile(files.subuid), user)
  const gidRanges = rangesFor(readSubIdFile(files.subgid), user)
  if (uidRanges.length === 0 || gidRanges.length === 0) {
    const missing = uidRanges.length === 0 ? files.subuid : files.subgid
    return {
      mode: 'single',
      uidMap: [{containerID: 0, hostID: user.uid, size: 1}],
      gidMap: [{containerID: 0, hostID: user.gid, size: 1}],
      setgroups: 'deny',
      reason: `no range for user "${user.name}" in ${missing}`,
    }
  }
  checkOwnIdOutside('UID', files.subuid, user.uid, uidRanges)
  checkOwnIdOutside('GID', files.subgid, user.gid, gidRanges)
  return {
    mode: 'subid',
    uidMap: rangesToMap(user.uid, uidRanges),
    gidMap: rangesToMap(user.gid, gidRanges),
    setgroups: 'allow',
  }
}

/** True when both lists map the same ids, in whatever order. */
export function sameIdMapping(a: IdMapping[], b: IdMapping[]): boolean {
  const key = (list: IdMapping[]): string => JSON.stringify([...list].sort((x, y) => x.containerID - y.containerID).map((m) => [m.containerID, m.hostID, m.size]))
  return key(a) === key(b)
}

export interface MappingTool {
  name: 'newuidmap' | 'newgidmap'
  path?: string
  setuid: boolean
  fileCaps: boolean
}

const TOOL_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']

export function findMappingTool(name: 'newuidmap' | 'newgidmap'): MappingTool {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...TOOL_DIRS]
  for (const dir of dirs) {
    const candidate = path.join(dir, name)
    let st: fs.Stats
    try {
      st = fs.statSync(candidate)
    } catch {
      continue
    }
    if (!st.isFile()) continue
    return {
      name,
      path: candidate,
      setuid: (st.mode & 0o4000) !== 0,
      fileCaps: native().getxattr(candidate, 'security.capability') !== null,
    }
  }
  return {name, setuid: false, fileCaps: false}
}

function mapArgs(map: IdMapping[]): string[] {
  return map.flatMap((m) => [String(m.containerID), String(m.hostID), String(m.size)])
}

function missingTool(tool: MappingTool): TspodError {
  return new TspodError(`command required for rootless mode with multiple IDs: exec: "${tool.name}": executable file not found in $PATH`)
}

function mappingToolFailure(tool: MappingTool, output: string): TspodError {
  const hint = tool.setuid || tool.fileCaps ? '' : ': should have setuid or have filecaps setuid'
  return new TspodError(`cannot set up namespace using "${tool.path}"${hint}: ${output}`)
}

/** newuidmap and newgidmap at once (neither waits for the other); the first failure, in that order, is thrown. */
function runMappingTools(pid: number, runs: {tool: MappingTool; map: IdMapping[]}[]): void {
  for (const {tool} of runs) if (!tool.path) throw missingTool(tool)
  let results: ProgramResult[]
  try {
    results = native().runPrograms(runs.map(({tool, map}) => ({file: tool.path!, argv: [tool.path!, String(pid), ...mapArgs(map)]})), 10_000)
  } catch (err) {
    const failed = runs.find(({tool}) => tool.path === (err as NodeJS.ErrnoException).path) ?? runs[0]
    throw mappingToolFailure(failed.tool, (err as Error).message)
  }
  for (const [i, r] of results.entries()) {
    if (r.timedOut) throw mappingToolFailure(runs[i].tool, 'timed out after 10 s')
    if (r.code !== 0) throw mappingToolFailure(runs[i].tool, r.stderr.trim() || (r.signal !== null ? `killed by signal ${r.signal}` : `exit status ${r.code}`))
  }
}

function writeMapFile(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`write ${file}: ${e.message}`, {code: e.code, path: file, cause: err})
  }
}

/** Write the maps for a child that waits in a new user namespace. */
export async function applyUserNamespaceMapping(pid: number, mapping: UserNamespaceMapping): Promise<void> {
  if (mapping.mode === 'subid') {
    runMappingTools(pid, [
      {tool: findMappingTool('newuidmap'), map: mapping.uidMap},
      {tool: findMappingTool('newgidmap'), map: mapping.gidMap},
    ])
    // newgidmap leaves setgroups at `allow`; write it anyway so the policy never rests on a default.
    writeMapFile(`/proc/${pid}/setgroups`, mapping.setgroups)
    return
  }
  writeMapFile(`/proc/${pid}/setgroups`, mapping.setgroups)
  writeMapFile(`/proc/${pid}/uid_map`, mapArgs(mapping.uidMap).join(' ') + '\n')
  writeMapFile(`/proc/${pid}/gid_map`, mapArgs(mapping.gidMap).join(' ') + '\n')
}
