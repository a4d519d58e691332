// What the kernel really answers for a user, to hold the preflight's decisions against: `test`
// run as the user with all of its groups (as now), and with none but the primary one (as inside
// the user namespace after the runtime's setgroups, which `setpriv --clear-groups` reproduces).
import {execFileSync} from 'node:child_process'

import {TestUser} from '../../../helpers/rootless'

export type TestOp = '-x' | '-r' | '-w'

/** One `test OP PATH` per query, all in one shell; true where the access is granted. */
export function realAccess(user: TestUser, queries: [TestOp, string][], groups: 'all' | 'primary-only'): boolean[] {
  const script = 'for q in "$@"; do op=${q%% *}; p=${q#* }; if test "$op" "$p"; then echo 1; else echo 0; fi; done'
  const groupFlag = groups === 'all' ? '--init-groups' : '--clear-groups'
  const out = execFileSync('setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), groupFlag, '--', 'sh', '-c', script, 'sh', ...queries.map(([op, p]) => `${op} ${p}`)], {
    encoding: 'utf8',
    cwd: '/',
  })
  return out.trim().split('\n').map((l) => l === '1')
}

/** The user's groups as the kernel gives them at login: primary first. */
export function loginGroups(user: TestUser): number[] {
  const ids = execFileSync('id', ['-G', user.name], {encoding: 'utf8'}).trim().split(/\s+/).map(Number)
  return [user.gid, ...ids.filter((g) => g !== user.gid)]
}
