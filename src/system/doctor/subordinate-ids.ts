// /etc/subuid and /etc/subgid: the user has ranges, at least 65536 ids, none holding the user's
// own id, none shared with another user.
import {SubIdEntry, readSubIdFile} from '../../userns/subid'
import {CheckGroup, CheckResult, asRoot, fail, ok, warn} from './check-result'
import {DoctorContext} from './context'

export const MIN_SUBORDINATE_IDS = 65536
/** shadow-utils' SUB_UID_MIN: ranges start here unless something already does */
const FIRST_FREE = 100000

function end(e: {start: number; count: number}): number {
  return e.start + e.count - 1
}

function rangeText(e: {start: number; count: number}): string {
  return `${e.start}-${end(e)}`
}

/** The first id above every range in the file (so a new range overlaps nothing). */
export function nextFreeStart(entries: SubIdEntry[]): number {
  return entries.reduce((max, e) => Math.max(max, e.start + e.count), FIRST_FREE)
}

function checkFile(ctx: DoctorContext, kind: 'uid' | 'gid'): CheckResult[] {
  const check = `sub${kind}`
  const file = kind === 'uid' ? ctx.subIdFiles.subuid : ctx.subIdFiles.subgid
  const flag = kind === 'uid' ? 'subuids' : 'subgids'
  const {name, uid} = ctx.user
  const ownId = kind === 'uid' ? ctx.user.uid : ctx.user.gid
  if (!ctx.rootless) return [ok(check, `not used: running as root (no user namespace)`)]

  const entries = readSubIdFile(file)
  const isSelf = (owner: string) => owner === name || owner === String(uid) || ctx.accounts.uidOf(owner) === uid
  const own = entries.filter((e) => isSelf(e.owner))
  const others = entries.filter((e) => !isSelf(e.owner))
  const free = nextFreeStart(entries)
  const newRange = (count: number) => `${free}-${free + count - 1}`

  if (own.length === 0)
    return [
      warn(
        check,
        `no range for user "${name}" in ${file}: tspod falls back to a single mapping (only your own ${kind} is mapped), ` +
          `so image files owned by any other ${kind === 'uid' ? 'user' : 'group'} cannot be stored`,
        asRoot(`usermod --add-${flag} ${newRange(MIN_SUBORDINATE_IDS)} ${name}`),
        {rootCommands: [`usermod --add-${flag} ${newRange(MIN_SUBORDINATE_IDS)} ${name}`]},
      ),
    ]

  const results: CheckResult[] = []
  for (const e of own.filter((r) => ownId >= r.start && ownId <= end(r))) {
    const command = `usermod --del-${flag} ${rangeText(e)} --add-${flag} ${newRange(e.count)} ${name}`
    results.push(
      fail(
        check,
        `the range ${e.start}:${e.count} for ${name} in ${file} (line ${e.line}) includes your own ${kind} ${ownId}: tspod refuses it ` +
          `("invalid configuration: the specified mapping ${e.start}:${e.count} in "${file}" includes the user ${kind.toUpperCase()}")`,
        asRoot(command),
        {rootCommands: [command]},
      ),
    )
  }
  for (const e of own) {
    const clash = others.find((o) => o.start <= end(e) && e.start <= end(o))
    if (!clash) continue
    const command = `usermod --del-${flag} ${rangeText(e)} --add-${flag} ${newRange(e.count)} ${name}`
    results.push(
      warn(
        check,
        `your range ${e.start}:${e.count} in ${file} (line ${e.line}) overlaps ${clash.owner}'s range ${clash.start}:${clash.count} (line ${clash.line}): ` +
          `files in their containers and yours are owned by the same host ids`,
        asRoot(command),
        {rootCommands: [command]},
      ),
    )
  }
  const total = own.reduce((n, e) => n + e.count, 0)
  const ranges = own.map(rangeText).join(', ')
  if (total < MIN_SUBORDINATE_IDS) {
    const command = `usermod --add-${flag} ${newRange(MIN_SUBORDINATE_IDS - total)} ${name}`
    results.push(
      warn(
        check,
        `${name} has only ${total} subordinate ${kind}s in ${file} (${ranges}): image files owned by ${kind} ${total} or above cannot be stored ` +
          `("potentially insufficient UIDs or GIDs available in user namespace"); ${MIN_SUBORDINATE_IDS} is the usual minimum`,
        asRoot(command),
        {rootCommands: [command]},
      ),
    )
  }
  if (results.length === 0) results.push(ok(check, `${name} has ${total} subordinate ${kind}s in ${file}: ${ranges}`))
  return results
}

export const subordinateIdChecks: CheckGroup = {
  name: 'subids',
  summary: '/etc/subuid and /etc/subgid ranges for the user',
  async run(ctx) {
    return [...checkFile(ctx, 'uid'), ...checkFile(ctx, 'gid')]
  },
}
