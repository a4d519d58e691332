// Walk a path from `/` and decide, for every component, how a user reaches it now and how the
// same user reaches it inside a rootless user namespace once the runtime has called setgroups:
// the kernel then checks only the uid and the primary gid, so a dir that the user can search
// only through a supplementary group becomes a wall (field note 1; reference/userns-overlay.md).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import {IdMapping, UserNamespaceMapping} from '../../../userns/idmap'
import {Accounts, loadAccounts} from './account-names'
import {AccessDecision, Identity, InodeFacts, MAY_EXEC, MAY_READ, MAY_WRITE, decideAccess} from './access-decision'
import {AccessFinding, FindingContext, cannotCreateFinding, deniedFinding, groupOnlyFinding, nestedRootFinding, uninspectableFinding} from './finding-text'
import {AclEntry, readPosixAcl} from './posix-acl'

export type AccessNeed = 'traverse' | 'read' | 'write'

export interface PreflightUser extends Identity {
  /** the login name, for `setfacl -m u:NAME:x` in fixes (looked up from the uid when absent) */
  name?: string
}

/**
 * The root of a user namespace nested in the rootless one, as an external runtime works under
 * --userns=keep-id: a subordinate id (host ids), without the user's groups, privileged only over
 * inodes whose owner and group its maps both contain.
 */
export interface NestedRoot {
  uid: number
  gid: number
  uidMap: IdMapping[]
  gidMap: IdMapping[]
}

export interface WalkOptions {
  /** --group-add=keep-groups: the container keeps the caller's supplementary groups */
  keepGroups?: boolean
  /** inside the user namespace the path is reached by this root instead of by the user */
  nestedRoot?: NestedRoot
  /** the namespace the runtime works in: its setgroups policy, and which ids it maps */
  mapping?: UserNamespaceMapping
  /** what the path is, in messages: "graph root", "bind mount source" */
  role?: string
  /** a further fix offered when the path cannot be reached, e.g. how to choose another graph root */
  alternative?: string
  accounts?: Accounts
}

export interface PathStep {
  path: string
  uid: number
  gid: number
  /** permission bits (st_mode & 07777) */
  mode: number
  type: 'directory' | 'file' | 'other'
  acl?: AclEntry[]
  /** the bits this step needs: search (x) for every dir above the target */
  want: number
  /** as the user is now, with all of its groups */
  host: AccessDecision
  /** inside the user namespace after setgroups (or with its groups kept) */
  namespace: AccessDecision
}

export interface AccessWalk {
  target: string
  role: string
  need: AccessNeed
  steps: PathStep[]
  /** the first component that does not exist yet */
  missing?: string
  /** the user reaches the path now with the needed access (or can create what is missing) */
  ok: boolean
  /** ...and still does inside the user namespace */
  okInNamespace: boolean
  findings: AccessFinding[]
}

const MAX_SYMLINKS = 40

function isMapped(id: number, map: IdMapping[]): boolean {
  return map.some((m) => id >= m.hostID && id < m.hostID + m.size)
}

function finalWant(need: AccessNeed, type: PathStep['type']): number {
  if (type === 'directory') return need === 'read' ? MAY_READ | MAY_EXEC : need === 'write' ? MAY_WRITE | MAY_EXEC : MAY_EXEC
  return need === 'read' ? MAY_READ : need === 'write' ? MAY_WRITE : 0
}

function typeOf(st: fs.Stats): PathStep['type'] {
  return st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other'
}

class Walker {
  readonly hostId: Identity
  readonly nsId: Identity
  readonly groupsKept: boolean
  readonly ctx: FindingContext

  constructor(
    readonly user: PreflightUser,
    readonly opts: WalkOptions,
    role: string,
    target: string,
  ) {
    this.hostId = {uid: user.uid, gid: user.gid, groups: user.groups}
    // setgroups([]) leaves the fsuid and the primary gid; a `deny` policy means it can never run.
    this.groupsKept = opts.keepGroups === true || opts.mapping?.setgroups === 'deny'
    const nested = opts.nestedRoot
    this.nsId = nested ? {uid: nested.uid, gid: nested.gid, groups: []} : this.groupsKept ? this.hostId : {uid: user.uid, gid: user.gid, groups: []}
    const accounts = opts.accounts ?? loadAccounts()
    this.ctx = {
      accounts,
      user: {...this.hostId, name: user.name ?? accounts.userName(user.uid)},
      role,
      target,
      keepGroups: opts.keepGroups === true,
      setgroupsDenied: opts.mapping?.setgroups === 'deny',
      alternative: opts.alternative,
    }
  }

  privilegedInNamespace(inode: InodeFacts): boolean {
    const nested = this.opts.nestedRoot
    if (nested) return isMapped(inode.uid, nested.uidMap) && isMapped(inode.gid, nested.gidMap)
    if (this.user.uid === 0) return true
    const m = this.opts.mapping
    return m !== undefined && isMapped(inode.uid, m.uidMap) && isMapped(inode.gid, m.gidMap)
  }

  step(p: string, st: fs.Stats, want: number): PathStep {
    const inode: InodeFacts = {uid: st.uid, gid: st.gid, mode: st.mode, acl: readPosixAcl(p)}
    return {
      path: p,
      uid: st.uid,
      gid: st.gid,
      mode: st.mode & 0o7777,
      type: typeOf(st),
      acl: inode.acl,
      want,
      host: decideAccess(inode, this.hostId, want, this.user.uid === 0),
      namespace: decideAccess(inode, this.nsId, want, this.privilegedInNamespace(inode)),
    }
  }

  canCreateIn(step: PathStep): AccessDecision {
    const inode: InodeFacts = {uid: step.uid, gid: step.gid, mode: step.mode | 0o040000, acl: step.acl}
    return decideAccess(inode, this.hostId, MAY_WRITE | MAY_EXEC, this.user.uid === 0)
  }
}

/**
 * Walk every component of `target` from `/` (following symlinks as the kernel does) and say how
 * `user` can search each dir above it and use the target itself (`need`), now and inside the
 * user namespace. The walk stops at the first component the user cannot pass.
 */
export function walkAccess(target: string, user: PreflightUser, need: AccessNeed, opts: WalkOptions = {}): AccessWalk {
  if (!path.isAbsolute(target)) throw new TspodError(`preflight: "${target}" is not an absolute path`)
  const role = opts.role ?? 'path'
  const w = new Walker(user, opts, role, target)
  const steps: PathStep[] = []
  const findings: AccessFinding[] = []
  const queue = target.split('/').filter((c) => c !== '' && c !== '.')
  let current = '/'
  let symlinks = 0
  let missing: string | undefined
  let stopped = false

  const visit = (p: string, last: boolean): boolean => {
    let st: fs.Stats
    try {
      st = fs.lstatSync(p)
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      if (e.code === 'ENOENT') missing = p
      else findings.push(uninspectableFinding(w.ctx, p, e))
      return false
    }
    if (st.isSymbolicLink()) {
      if (++symlinks > MAX_SYMLINKS) {
        findings.push(uninspectableFinding(w.ctx, p, Object.assign(new Error('too many levels of symbolic links'), {code: 'ELOOP'})))
        return false
      }
      const link = fs.readlinkSync(p)
      queue.unshift(...link.split('/').filter((c) => c !== '' && c !== '.'))
      if (path.isAbsolute(link)) current = '/'
      return true
    }
    const step = w.step(p, st, last ? finalWant(need, typeOf(st)) : MAY_EXEC)
    steps.push(step)
    current = p
    if (!step.host.granted) {
      findings.push(deniedFinding(w.ctx, step))
      return false
    }
    if (!step.namespace.granted && opts.nestedRoot) findings.push(nestedRootFinding(w.ctx, step, opts.nestedRoot))
    else if (!step.namespace.granted) findings.push(groupOnlyFinding(w.ctx, step, 'warning'))
    else if (step.host.route === 'supplementary-group' && w.groupsKept && step.namespace.route === 'supplementary-group')
      findings.push(groupOnlyFinding(w.ctx, step, 'info'))
    return true
  }

  if (!visit('/', queue.length === 0)) stopped = true
  while (!stopped && queue.length > 0) {
    const name = queue.shift()!
    if (name === '..') {
      current = path.dirname(current)
      continue
    }
    if (!visit(path.join(current, name), queue.length === 0)) stopped = true
  }

  if (missing !== undefined && steps.length > 0) {
    const parent = steps[steps.length - 1]
    const create = w.canCreateIn(parent)
    if (!create.granted) findings.push(cannotCreateFinding(w.ctx, missing, parent, create))
  }
  const hardFailure = findings.some((f) => f.severity === 'error')
  return {
    target,
    role,
    need,
    steps,
    missing,
    ok: !hardFailure,
    okInNamespace: !hardFailure && !findings.some((f) => f.severity === 'warning'),
    findings,
  }
}
