// User-namespace id maps: planned from /etc/subuid and /etc/subgid, written through
// newuidmap/newgidmap (so /proc/PID/setgroups stays `allow`), or, for a user without ranges,
// a single self-mapping written directly with setgroups `deny`.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../errors'
import {native} from '../native'
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

function runMappingTool(tool: MappingTool, pid: number, map: IdMapping[]): void {
  if (!tool.path)
    throw new TspodError(
      `command required for rootless mode with multiple IDs: exec: "${tool.name}": executable file not found in $PATH`,
    )
  let output: string | undefined
  try {
    const r = native().runProgram(tool.path, [tool.path, String(pid), ...mapArgs(map)], 10_000)
    if (r.timedOut) output = 'timed out after 10 s'
    else if (r.code !== 0) output = r.stderr.trim() || (r.signal !== null ? `killed by signal ${r.signal}` : `exit status ${r.code}`)
  } catch (err) {
    output = (err as Error).message
  }
  if (output === undefined) return
  const hint = tool.setuid || tool.fileCaps ? '' : ': should have setuid or have filecaps setuid'
  throw new TspodError(`cannot set up namespace using "${tool.path}"${hint}: ${output}`)
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
    runMappingTool(findMappingTool('newuidmap'), pid, mapping.uidMap)
    runMappingTool(findMappingTool('newgidmap'), pid, mapping.gidMap)
    // newgidmap leaves setgroups at `allow`; write it anyway so the policy never rests on a default.
    writeMapFile(`/proc/${pid}/setgroups`, mapping.setgroups)
    return
  }
  writeMapFile(`/proc/${pid}/setgroups`, mapping.setgroups)
  writeMapFile(`/proc/${pid}/uid_map`, mapArgs(mapping.uidMap).join(' ') + '\n')
  writeMapFile(`/proc/${pid}/gid_map`, mapArgs(mapping.gidMap).join(' ') + '\n')
}
