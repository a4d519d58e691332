// `--user` and `--group-add` resolved the way Podman does it (pkg/lookup on top of
// moby/sys/user's GetExecUser, libpod's generateSpec): against the image's own /etc/passwd and
// /etc/group, read from its layers, never the host's.
import {UsageError} from '../../errors'
import {OciIdMapping} from '../oci-spec'
import {readRootfsFile} from './rootfs-files'

const MAX_ID = 2 ** 31 - 1
const RANGE_ERROR = `uids and gids must be in range 0-${MAX_ID}`
const NO_PASSWD_ENTRIES = 'no matching entries in passwd file'
const NO_GROUP_ENTRIES = 'no matching entries in group file'

export interface PasswdEntry {
  name: string
  uid: number
  gid: number
  home: string
}

export interface GroupEntry {
  name: string
  gid: number
  members: string[]
}

/** Go's strconv.Atoi: an optional sign and decimal digits, else undefined. */
function atoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

/** A numeric field of passwd/group; like the Go parser, a malformed number reads as 0. */
function idField(text: string | undefined): number {
  return atoi(text ?? '') ?? 0
}

/** name:password:uid:gid:gecos:home:shell lines; blank lines skipped, short lines padded. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    const f = line.split(':')
    out.push({name: f[0], uid: idField(f[2]), gid: idField(f[3]), home: f[5] ?? ''})
  }
  return out
}

/** name:password:gid:member,member lines; blank lines and # comments skipped. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const f = line.split(':')
    out.push({name: f[0], gid: idField(f[2]), members: f[3] ? f[3].split(',') : []})
  }
  return out
}

function checkRange(id: number): number {
  if (id < 0 || id > MAX_ID) throw new UsageError(RANGE_ERROR)
  return id
}

interface ExecUser {
  uid: number
  gid: number
  home: string
  /** gids of the groups listing the user as a member (only when no group was given) */
  sgids: number[]
}

/** moby/sys/user GetExecUser with no defaults: user "" means uid 0. */
function execUser(spec: string, passwd: PasswdEntry[] | undefined, group: GroupEntry[] | undefined): ExecUser {
  const [userArg = '', groupArg = ''] = spec.split(':')
  const uidArg = atoi(userArg)
  const gidArg = atoi(groupArg)
  const user: ExecUser = {uid: 0, gid: 0, home: '', sgids: []}

  const match = (passwd ?? []).find((u) => {
    if (userArg === '') return u.uid === 0
    if (uidArg !== undefined) return u.uid === uidArg
    return u.name === userArg
  })
  let matchedName = ''
  if (match) {
    matchedName = match.name
    user.uid = match.uid
    user.gid = match.gid
    user.home = match.home
  } else if (userArg !== '') {
    if (uidArg === undefined) throw new UsageError(`unable to find user ${userArg}: ${NO_PASSWD_ENTRIES}`)
    user.uid = checkRange(uidArg)
  }

  if (groupArg !== '') {
    const found = (group ?? []).find((g) => (gidArg !== undefined ? g.gid === gidArg : g.name === groupArg))
    if (found) user.gid = found.gid
    else if (gidArg === undefined) throw new UsageError(`unable to find group ${groupArg}: ${NO_GROUP_ENTRIES}`)
    else user.gid = checkRange(gidArg)
  } else if (matchedName !== '') {
    user.sgids = (group ?? []).filter((g) => g.members.includes(matchedName)).map((g) => g.gid)
  }
  return user
}

/** moby/sys/user GetAdditionalGroups: names looked up in /etc/group, numbers taken as they are. */
function additionalGroups(names: string[], group: GroupEntry[] | undefined): number[] {
  return names.map((name) => {
    const found = (group ?? []).find((g) => g.name === name || String(g.gid) === name)
    if (found) return found.gid
    const gid = atoi(name)
    if (gid === undefined) throw new UsageError(`Unable to find group ${name}: ${NO_GROUP_ENTRIES}`)
    return checkRange(gid)
  })
}

function readEtcFile<T>(layerDirs: string[], file: string, parse: (text: string) => T[], extra = ''): T[] | undefined {
  const bytes = readRootfsFile(layerDirs, file)
  if (bytes === undefined) return extra === '' ? undefined : parse(extra)
  return parse(`${bytes.toString('utf8')}\n${extra}`)
}

export interface UserRequest {
  /** the image's layer dirs, top first */
  layerDirs: string[]
  /** `--user name|uid[:group|gid]`; when empty, the image's User */
  user?: string
  imageUser?: string
  /** `--group-add` groups (names or gids) */
  groups?: string[]
  /** `--group-add keep-groups` */
  keepGroups?: boolean
  /** the container's gid mappings; supplementary groups from /etc/group outside them are skipped */
  gidMappings?: OciIdMapping[]
  /** lines the container's /etc/passwd and /etc/group get on top of the image's (passwd-entries.ts) */
  extraPasswd?: string
  extraGroup?: string
}

export interface ResolvedUser {
  /** the user spec in effect: `--user`, else the image's User, else "" (root) */
  spec: string
  uid: number
  gid: number
  /** for process.user.additionalGids: primary gid (when a user is set), --group-add, /etc/group membership */
  additionalGids: number[]
  /** home from /etc/passwd, "/" when the user has none there */
  home: string
  /** `--group-add keep-groups`: the runtime must keep the caller's supplementary groups */
  keepGroups: boolean
  warnings: string[]
}

function gidMapped(gid: number, mappings: OciIdMapping[] | undefined): boolean {
  if (!mappings || mappings.length === 0) return true
  return mappings.some((m) => gid >= m.containerID && gid < m.containerID + m.size)
}

/** Resolve the container's process user, as Podman does before it writes config.json. */
export function resolveUser(request: UserRequest): ResolvedUser {
  const spec = request.user || request.imageUser || ''
  const groups = request.groups ?? []
  const keepGroups = request.keepGroups ?? false
  // a missing file is an empty database, as in Podman; an unreadable one is an error
  const passwd = readEtcFile(request.layerDirs, '/etc/passwd', parsePasswd, request.extraPasswd)
  const group = readEtcFile(request.layerDirs, '/etc/group', parseGroup, request.extraGroup)
  const user = execUser(spec, passwd, group)

  const additionalGids: number[] = []
  const add = (gid: number): void => {
    if (!additionalGids.includes(gid)) additionalGids.push(gid)
  }
  if (spec !== '') add(user.gid)
  for (const gid of additionalGroups(groups, group)) add(gid)
  const warnings: string[] = []
  if (!spec.includes(':')) {
    for (const gid of user.sgids) {
      if (gidMapped(gid, request.gidMappings)) add(gid)
      else warnings.push(`Additional gid=${gid} is not present in the user namespace, skip setting it`)
    }
  }
  return {spec, uid: user.uid, gid: user.gid, additionalGids, home: user.home || '/', keepGroups, warnings}
}
