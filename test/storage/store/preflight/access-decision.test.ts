// The kernel's permission check answered from metadata, naming the route that grants.
import test from 'ava'

import {AccessDecision, Identity, InodeFacts, MAY_EXEC, MAY_READ, MAY_WRITE, decideAccess, permLetters} from '../../../../src/storage/store/preflight/access-decision'
import {AclEntry} from '../../../../src/storage/store/preflight/posix-acl'

const user: Identity = {uid: 1000, gid: 1000, groups: [1000, 50]}
const file = (mode: number, uid = 0, gid = 0, acl?: AclEntry[]): InodeFacts => ({uid, gid, mode: 0o100000 | mode, acl})
const dir = (mode: number, uid = 0, gid = 0): InodeFacts => ({uid, gid, mode: 0o040000 | mode})
const route = (d: AccessDecision) => `${d.granted ? 'granted' : 'denied'} ${d.route} by ${d.decidedBy}${d.group === undefined ? '' : ` ${d.group}`}`

test('owner, then group, then other: the first class that applies decides, even when a later one would grant', (t) => {
  t.is(route(decideAccess(file(0o600, 1000), user, MAY_READ | MAY_WRITE)), 'granted owner by owner')
  t.is(route(decideAccess(file(0o077, 1000), user, MAY_READ)), 'denied none by owner', 'the owner bits decide for the owner')
  t.is(route(decideAccess(file(0o640, 0, 1000), user, MAY_READ)), 'granted primary-group by group 1000')
  t.is(route(decideAccess(file(0o640, 0, 50), user, MAY_READ)), 'granted supplementary-group by group 50')
  t.is(route(decideAccess(file(0o604, 0, 50), user, MAY_READ)), 'denied none by group', 'a member gets the group bits, not other')
  t.is(route(decideAccess(file(0o604), user, MAY_READ)), 'granted other by other')
  t.is(route(decideAccess(file(0o644), user, MAY_WRITE)), 'denied none by other')
})

test('an ACL: a named-user entry under the mask, any matching group entry, then other', (t) => {
  const acl = (entries: AclEntry[]) => file(0o750, 0, 0, entries)
  const base: AclEntry[] = [{tag: 'user_obj', perm: 7}, {tag: 'group_obj', perm: 5}, {tag: 'other', perm: 0}]
  t.is(route(decideAccess(acl([...base, {tag: 'user', id: 1000, perm: 7}, {tag: 'mask', perm: 7}]), user, MAY_WRITE)), 'granted named-user by named-user')
  t.is(route(decideAccess(acl([...base, {tag: 'user', id: 1000, perm: 7}, {tag: 'mask', perm: 5}]), user, MAY_WRITE)), 'denied none by named-user', 'the mask limits a named user')
  t.is(route(decideAccess(acl([...base, {tag: 'group', id: 50, perm: 6}, {tag: 'mask', perm: 7}]), user, MAY_WRITE)), 'granted supplementary-group by group 50')
  t.is(route(decideAccess(acl([...base, {tag: 'group', id: 50, perm: 6}, {tag: 'mask', perm: 4}]), user, MAY_WRITE)), 'denied none by group')
  t.is(route(decideAccess(acl([...base, {tag: 'mask', perm: 7}]), user, MAY_READ)), 'denied none by other')
})

test('privileged: a capability grants everything on a dir, and exec on a file only when some x bit is set', (t) => {
  t.is(route(decideAccess(dir(0o700), user, MAY_READ | MAY_WRITE | MAY_EXEC, true)), 'granted capability by other')
  t.is(route(decideAccess(file(0o600), user, MAY_READ, true)), 'granted capability by other')
  t.is(route(decideAccess(file(0o600), user, MAY_EXEC, true)), 'denied none by other')
  t.is(route(decideAccess(file(0o700), user, MAY_EXEC, true)), 'granted capability by other')
  t.is(route(decideAccess(file(0o644), user, MAY_READ, true)), 'granted other by other', 'a grant without the capability names its real route')
})

test('permission bits as letters', (t) => {
  t.is(permLetters(7), 'rwx')
  t.is(permLetters(5), 'rx')
  t.is(permLetters(2), 'w')
  t.is(permLetters(0), '')
})
