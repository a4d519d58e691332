// The words of a preflight finding: which dir, owned by whom, with which mode, reachable how,
// what happens inside the user namespace, and the exact commands that fix it.
import {Accounts} from './account-names'
import {AccessDecision, Identity, MAY_EXEC, MAY_READ, MAY_WRITE, permLetters} from './access-decision'
import type {NestedRoot, PathStep} from './access-walk'
import {formatPosixAcl} from './posix-acl'
import {shellQuote} from './shell-quote'

export type FindingKind = 'supplementary-group-only' | 'nested-root-denied' | 'groups-kept' | 'denied' | 'cannot-create' | 'uninspectable'

export interface AccessFinding {
  kind: FindingKind
  /** info: works, and why; warning: breaks inside the user namespace; error: breaks now */
  severity: 'info' | 'warning' | 'error'
  role: string
  /** the path that was walked */
  target: string
  /** the component at fault */
  path: string
  owner?: {uid: number; name: string}
  group?: {gid: number; name: string}
  /** "0750" */
  mode?: string
  /** the supplementary group that is the only way through */
  viaGroup?: {gid: number; name: string}
  message: string
  /** shell commands that fix it, best first (alternatives to each other) */
  commands: string[]
  /** the commands need root (the user does not own the dir) */
  needsRoot: boolean
  /** running containers with --group-add=keep-groups also fixes it */
  keepGroupsFixes: boolean
  /** every fix in one line, commands in backticks */
  fix: string
}

export interface FindingContext {
  accounts: Accounts
  user: Identity & {name: string}
  role: string
  target: string
  keepGroups: boolean
  setgroupsDenied: boolean
  alternative?: string
}

export const KEEP_GROUPS_FIX =
  'run containers with --group-add=keep-groups (they keep your supplementary groups, shown as nobody/65534 inside, and can no longer switch groups)'

function octal(mode: number): string {
  return '0' + (mode & 0o7777).toString(8).padStart(3, '0')
}

function rwx(bits: number): string {
  return `${bits & MAY_READ ? 'r' : '-'}${bits & MAY_WRITE ? 'w' : '-'}${bits & MAY_EXEC ? 'x' : '-'}`
}

function verbed(step: PathStep): string {
  const words: string[] = []
  if (step.want & MAY_READ) words.push('readable')
  if (step.want & MAY_WRITE) words.push('writable')
  if (step.want & MAY_EXEC && words.length === 0) words.push(step.type === 'directory' ? 'searchable' : 'executable')
  return words.join(' and ')
}

function ownership(ctx: FindingContext, step: PathStep) {
  return {
    owner: {uid: step.uid, name: ctx.accounts.userName(step.uid)},
    group: {gid: step.gid, name: ctx.accounts.groupName(step.gid)},
    mode: octal(step.mode),
  }
}

/** "/srv/stor (owner root:tspodstor, ids 0:1001, mode 0750)" */
export function describeStep(ctx: FindingContext, step: PathStep): string {
  const o = ownership(ctx, step)
  const acl = step.acl ? `, ACL ${formatPosixAcl(step.acl)}` : ''
  return `${step.path} (owner ${o.owner.name}:${o.group.name}, ids ${step.uid}:${step.gid}, mode ${o.mode}${acl})`
}

function quoteCommands(commands: string[], notes: (string | undefined)[] = []): string[] {
  return commands.map((c, i) => (notes[i] ? `\`${c}\` (${notes[i]})` : `\`${c}\``))
}

/** "as root: `a` (note), or `b`; or <other fix>" */
function fixText(needsRoot: boolean, commands: string[], others: (string | undefined)[]): string {
  const first = commands.length > 0 ? `${needsRoot ? 'as root: ' : ''}${commands.join(', or ')}` : undefined
  return [first, ...others].filter((p): p is string => !!p).join('; or ')
}

export function groupOnlyFinding(ctx: FindingContext, step: PathStep, severity: 'warning' | 'info'): AccessFinding {
  const gid = step.host.group!
  const viaGroup = {gid, name: ctx.accounts.groupName(gid)}
  const base = {role: ctx.role, target: ctx.target, path: step.path, ...ownership(ctx, step), viaGroup}
  const reach = `${describeStep(ctx, step)} is ${verbed(step)} by you only through your supplementary group ${viaGroup.name} (gid ${gid})`
  if (severity === 'info') {
    const why = ctx.keepGroups
      ? '--group-add=keep-groups keeps that group in the container, so this works'
      : 'the single mapping denies setgroups, so the group is never dropped and this works'
    return {...base, kind: 'groups-kept', severity, message: `${reach}; ${why}`, commands: [], needsRoot: false, keepGroupsFixes: false, fix: ''}
  }
  const d = shellQuote(step.path)
  const bits = permLetters(step.want)
  const primary = ctx.accounts.groupName(ctx.user.gid)
  const commands = [
    ...(step.acl ? [] : [`chgrp ${shellQuote(primary)} ${d} && chmod g+${bits} ${d}`]),
    `chmod o+${bits} ${d}`,
    `setfacl -m u:${shellQuote(ctx.user.name)}:${bits} ${d}`,
  ]
  const needsRoot = step.uid !== ctx.user.uid
  const notes = commands.map((c) =>
    c.startsWith('chgrp') ? `members of ${viaGroup.name} then lose their group access` : c.startsWith('chmod o+') ? 'if every user may pass through it' : 'only you',
  )
  const message =
    `${reach}; inside the user namespace the runtime drops supplementary groups (setgroups), so the ${ctx.role} ` +
    `${ctx.target} cannot be reached there and containers fail with "Permission denied"`
  return {
    ...base,
    kind: 'supplementary-group-only',
    severity,
    message,
    commands,
    needsRoot,
    keepGroupsFixes: true,
    fix: fixText(needsRoot, quoteCommands(commands, notes), [KEEP_GROUPS_FIX]),
  }
}

/**
 * A dir the user passes but the root of a nested user namespace (an external runtime under
 * --userns=keep-id) does not: that root is a subordinate id without the user's groups, and its
 * capabilities cover only inodes whose owner and group are both mapped (crun#1777).
 */
export function nestedRootFinding(ctx: FindingContext, step: PathStep, root: NestedRoot): AccessFinding {
  const d = shellQuote(step.path)
  const bits = permLetters(step.want)
  const primary = ctx.accounts.groupName(ctx.user.gid)
  const userOwns = step.uid === ctx.user.uid
  const commands = [`chmod o+${bits} ${d}`, ...(userOwns && step.gid !== ctx.user.gid ? [`chgrp ${shellQuote(primary)} ${d}`] : [])]
  const notes = commands.map((c) => (c.startsWith('chmod') ? 'if every user may pass through it' : 'then the container maps its group'))
  const message =
    `${describeStep(ctx, step)} is not ${verbed(step)} by the container's root in a user namespace of its own (--userns=keep-id, nomap, auto): an external runtime works ` +
    `as a subordinate id (${root.uid}:${root.gid}) in a user namespace of the container's own, which is neither its owner nor in its group, ` +
    `and capabilities do not cover an inode whose owner or group that namespace does not map; the ${ctx.role} ${ctx.target} cannot be reached ` +
    'there and the runtime fails with "Permission denied"'
  return {
    role: ctx.role,
    target: ctx.target,
    path: step.path,
    ...ownership(ctx, step),
    kind: 'nested-root-denied',
    severity: 'warning',
    message,
    commands,
    needsRoot: !userOwns,
    keepGroupsFixes: false,
    fix: fixText(!userOwns, quoteCommands(commands, notes), ["run it without --runtime (tspod's own runtime mounts the rootfs before it enters the container's user namespace)"]),
  }
}

function denialReason(ctx: FindingContext, step: PathStep): string {
  const group = ctx.accounts.groupName(step.gid)
  /** the wanted bits a permission class does not have: "x" when it has rw- and wx is wanted */
  const lacking = (bits: number) => permLetters(step.want & ~bits)
  switch (step.host.decidedBy) {
    case 'owner':
      return `you own it but its owner bits (${rwx(step.mode >> 6)}) lack ${lacking(step.mode >> 6)}`
    case 'named-user':
      return `its ACL entry for you (user:${ctx.user.name}) or the ACL mask lacks ${permLetters(step.want)}`
    case 'group':
      return step.acl
        ? `the ACL entries of your groups (or the ACL mask) lack ${permLetters(step.want)}`
        : `you are in its group ${group} and the group bits (${rwx(step.mode >> 3)}) lack ${lacking(step.mode >> 3)}`
    case 'other':
      return `you are neither its owner nor in its group ${group}, and its "other" bits (${rwx(step.mode)}) lack ${lacking(step.mode)}`
  }
}

export function deniedFinding(ctx: FindingContext, step: PathStep): AccessFinding {
  const d = shellQuote(step.path)
  const bits = permLetters(step.want)
  const owned = step.uid === ctx.user.uid
  let commands: string[]
  if (owned) commands = [`chmod u+${bits} ${d}`]
  else if (step.host.decidedBy === 'group' && !step.acl) commands = [`chmod g+${bits} ${d}`, `setfacl -m u:${shellQuote(ctx.user.name)}:${bits} ${d}`]
  else commands = [`setfacl -m u:${shellQuote(ctx.user.name)}:${bits} ${d}`, `chmod o+${bits} ${d}`]
  const notes = commands.map((c) => (c.startsWith('chmod o+') ? 'if every user may pass through it' : undefined))
  const what = step.path === ctx.target ? `the ${ctx.role}` : `the ${ctx.role} ${ctx.target}`
  return {
    kind: 'denied',
    severity: 'error',
    role: ctx.role,
    target: ctx.target,
    path: step.path,
    ...ownership(ctx, step),
    message: `${describeStep(ctx, step)} is not ${verbed(step)} by you: ${denialReason(ctx, step)}; ${what} cannot be used`,
    commands,
    needsRoot: !owned,
    keepGroupsFixes: false,
    fix: fixText(!owned, quoteCommands(commands, notes), [ctx.alternative]),
  }
}

export function cannotCreateFinding(ctx: FindingContext, missing: string, parent: PathStep, decision: AccessDecision): AccessFinding {
  const primary = ctx.accounts.groupName(ctx.user.gid)
  const owned = parent.uid === ctx.user.uid
  const commands = owned
    ? [`chmod u+wx ${shellQuote(parent.path)}`]
    : [`install -d -m 0700 -o ${shellQuote(ctx.user.name)} -g ${shellQuote(primary)} ${shellQuote(missing)}`]
  const asParent: PathStep = {...parent, want: MAY_WRITE | MAY_EXEC, host: decision}
  return {
    kind: 'cannot-create',
    severity: 'error',
    role: ctx.role,
    target: ctx.target,
    path: parent.path,
    ...ownership(ctx, parent),
    message: `${missing} does not exist and you cannot create it: ${describeStep(ctx, parent)} is not writable by you (${denialReason(ctx, asParent)})`,
    commands,
    needsRoot: !owned,
    keepGroupsFixes: false,
    fix: fixText(!owned, quoteCommands(commands), [ctx.alternative]),
  }
}

export function uninspectableFinding(ctx: FindingContext, p: string, err: NodeJS.ErrnoException): AccessFinding {
  return {
    kind: 'uninspectable',
    severity: 'error',
    role: ctx.role,
    target: ctx.target,
    path: p,
    message: `cannot inspect ${p} on the way to the ${ctx.role} ${ctx.target}: ${err.message}`,
    commands: [],
    needsRoot: false,
    keepGroupsFixes: false,
    fix: ctx.alternative ?? '',
  }
}
