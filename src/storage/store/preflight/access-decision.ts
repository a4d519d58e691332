// The kernel's permission check for one inode (fs/namei.c generic_permission and
// fs/posix_acl.c posix_acl_permission), answered from metadata for a given identity, and
// saying *which* route grants the access: the owner bits, a named-user ACL entry, the primary
// group, a supplementary group, "other", or a capability (CAP_DAC_OVERRIDE in a user namespace,
// which covers only inodes whose uid and gid are both mapped into it).
import {AclEntry} from './posix-acl'

export const MAY_READ = 4
export const MAY_WRITE = 2
export const MAY_EXEC = 1

export interface Identity {
  uid: number
  /** the primary (fs) gid */
  gid: number
  /** the supplementary groups; the primary gid may be listed too */
  groups: number[]
}

export interface InodeFacts {
  uid: number
  gid: number
  /** st_mode (type and permission bits) */
  mode: number
  /** the access ACL, when the inode has one */
  acl?: AclEntry[]
}

export type AccessRoute = 'owner' | 'named-user' | 'primary-group' | 'supplementary-group' | 'other' | 'capability' | 'none'

/** The permission class that decided, for a denial's explanation. */
export type AccessClass = 'owner' | 'named-user' | 'group' | 'other'

export interface AccessDecision {
  granted: boolean
  route: AccessRoute
  /** the class whose bits were checked (the one that said no, when denied) */
  decidedBy: AccessClass
  /** the gid of the group entry that granted (group routes) */
  group?: number
}

const S_IFMT = 0o170000
const S_IFDIR = 0o040000

function inGroup(who: Identity, gid: number): boolean {
  return who.gid === gid || who.groups.includes(gid)
}

function groupRoute(who: Identity, gid: number): AccessRoute {
  return gid === who.gid ? 'primary-group' : 'supplementary-group'
}

function classicCheck(inode: InodeFacts, who: Identity, want: number): AccessDecision {
  if (inGroup(who, inode.gid)) {
    const granted = ((inode.mode >> 3) & want) === want
    return {granted, route: granted ? groupRoute(who, inode.gid) : 'none', decidedBy: 'group', group: granted ? inode.gid : undefined}
  }
  const granted = (inode.mode & want) === want
  return {granted, route: granted ? 'other' : 'none', decidedBy: 'other'}
}

function aclCheck(acl: AclEntry[], inode: InodeFacts, who: Identity, want: number): AccessDecision {
  const mask = acl.find((e) => e.tag === 'mask')?.perm ?? 7
  const named = acl.find((e) => e.tag === 'user' && e.id === who.uid)
  if (named) {
    const granted = (named.perm & mask & want) === want
    return {granted, route: granted ? 'named-user' : 'none', decidedBy: 'named-user'}
  }
  // Every group entry the identity matches is tried; the first that holds the bits decides
  // (then the mask applies). Preferring the primary group only changes which route we name.
  const groupEntries = acl
    .filter((e) => e.tag === 'group_obj' || e.tag === 'group')
    .map((e) => ({perm: e.perm, gid: e.tag === 'group_obj' ? inode.gid : e.id!}))
    .filter((e) => inGroup(who, e.gid))
  if (groupEntries.length > 0) {
    const holding = groupEntries.filter((e) => (e.perm & want) === want)
    if (holding.length === 0 || (mask & want) !== want) return {granted: false, route: 'none', decidedBy: 'group'}
    const chosen = holding.find((e) => e.gid === who.gid) ?? holding[0]
    return {granted: true, route: groupRoute(who, chosen.gid), decidedBy: 'group', group: chosen.gid}
  }
  const other = acl.find((e) => e.tag === 'other')?.perm ?? 0
  const granted = (other & want) === want
  return {granted, route: granted ? 'other' : 'none', decidedBy: 'other'}
}

/**
 * Whether `who` may access the inode with the `want` bits (MAY_READ | MAY_WRITE | MAY_EXEC), and
 * how. `privileged`: the identity holds CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH over this
 * inode (real root, or a user namespace's root for an inode whose uid and gid it maps).
 */
export function decideAccess(inode: InodeFacts, who: Identity, want: number, privileged = false): AccessDecision {
  let decision: AccessDecision
  if (inode.uid === who.uid) {
    const granted = ((inode.mode >> 6) & want) === want
    decision = {granted, route: granted ? 'owner' : 'none', decidedBy: 'owner'}
  } else if (inode.acl && (inode.mode & 0o070) !== 0) {
    decision = aclCheck(inode.acl, inode, who, want)
  } else {
    decision = classicCheck(inode, who, want)
  }
  if (decision.granted || !privileged) return decision
  const isDir = (inode.mode & S_IFMT) === S_IFDIR
  // CAP_DAC_OVERRIDE: everything on a dir; on a file, execute only if some x bit is set.
  if (isDir || (want & MAY_EXEC) === 0 || (inode.mode & 0o111) !== 0) return {...decision, granted: true, route: 'capability'}
  return decision
}

/** "rwx"-style text for permission bits: 5 → "r-x"; as a verb-free list for commands: 5 → "rx". */
export function permLetters(bits: number): string {
  return `${bits & MAY_READ ? 'r' : ''}${bits & MAY_WRITE ? 'w' : ''}${bits & MAY_EXEC ? 'x' : ''}`
}
