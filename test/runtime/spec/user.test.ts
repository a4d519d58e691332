// --user and --group-add resolved from the image's own /etc/passwd and /etc/group, with
// Podman's (moby/sys/user's) rules and messages.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {parseGroup, parsePasswd, resolveUser} from '../../../src/runtime/spec/user'
import {splitGroupAdd} from '../../../src/specgen/groups'
import {BUSYBOX_GROUP, BUSYBOX_PASSWD, busyboxLayer, layerDirs} from './layer-dirs'

// container gids 0..65535 exist in the user namespace: root plus a 65536 subgid range
const ROOTLESS_GIDS = [
  {containerID: 0, hostID: 1001, size: 1},
  {containerID: 1, hostID: 100000, size: 65536},
]

test('passwd and group files parse like the Go parser: padding, comments, bad numbers', (t) => {
  t.deepEqual(parsePasswd(BUSYBOX_PASSWD)[0], {name: 'root', uid: 0, gid: 0, home: '/root'})
  t.deepEqual(parsePasswd('short:x:7\n\n  bad:x:abc:def:g:/h:/s  \n'), [
    {name: 'short', uid: 7, gid: 0, home: ''},
    {name: 'bad', uid: 0, gid: 0, home: '/h'},
  ])
  const groups = parseGroup(BUSYBOX_GROUP)
  t.false(groups.some((g) => g.name.startsWith('#')))
  t.deepEqual(groups.find((g) => g.name === 'wheel'), {name: 'wheel', gid: 10, members: ['root', 'user']})
  t.deepEqual(groups.find((g) => g.name === 'tty'), {name: 'tty', gid: 5, members: []})
})

test('no --user and no image User: root, home /root, the groups that list root', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  const u = resolveUser({layerDirs: dirs})
  t.like(u, {spec: '', uid: 0, gid: 0, home: '/root', keepGroups: false})
  // Podman adds no primary gid when no user is set, only the membership of root
  t.deepEqual(u.additionalGids, [2, 3, 4, 10])
})

test('a user name: its uid, gid and home, plus its primary gid and memberships as additional gids', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  const u = resolveUser({layerDirs: dirs, user: 'user', gidMappings: ROOTLESS_GIDS})
  t.like(u, {spec: 'user', uid: 1234, gid: 1234, home: '/home/user'})
  t.deepEqual(u.additionalGids, [1234, 10, 50])
  t.deepEqual(u.warnings, ['Additional gid=70000 is not present in the user namespace, skip setting it'])
  // without a user namespace every gid is available
  t.deepEqual(resolveUser({layerDirs: dirs, user: 'user'}).additionalGids, [1234, 10, 50, 70000])
})

test('a uid in passwd is that user; a uid not in passwd is allowed with gid 0 and home /', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  t.like(resolveUser({layerDirs: dirs, user: '1234'}), {uid: 1234, gid: 1234, home: '/home/user'})
  const stranger = resolveUser({layerDirs: dirs, user: '4321'})
  t.like(stranger, {uid: 4321, gid: 0, home: '/'})
  t.deepEqual(stranger.additionalGids, [0])
  t.like(resolveUser({layerDirs: dirs, user: 'nohome'}), {uid: 1500, home: '/'})
})

test('user:group sets the gid and skips memberships; numeric groups need no entry', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  const named = resolveUser({layerDirs: dirs, user: 'user:wheel'})
  t.like(named, {uid: 1234, gid: 10})
  t.deepEqual(named.additionalGids, [10])
  t.like(resolveUser({layerDirs: dirs, user: '1234:4242'}), {uid: 1234, gid: 4242})
  t.like(resolveUser({layerDirs: dirs, user: '4321:tty'}), {uid: 4321, gid: 5, home: '/'})
  t.like(resolveUser({layerDirs: dirs, user: ':wheel'}), {uid: 0, gid: 10, home: '/root'})
})

test('unknown names and out-of-range ids fail with the Go messages', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  t.throws(() => resolveUser({layerDirs: dirs, user: 'ghost'}), {instanceOf: UsageError, message: 'unable to find user ghost: no matching entries in passwd file'})
  t.throws(() => resolveUser({layerDirs: dirs, user: 'user:ghosts'}), {message: 'unable to find group ghosts: no matching entries in group file'})
  t.throws(() => resolveUser({layerDirs: dirs, user: '-1'}), {message: 'uids and gids must be in range 0-2147483647'})
  t.throws(() => resolveUser({layerDirs: dirs, user: '0:2147483648'}), {message: 'uids and gids must be in range 0-2147483647'})
})

test('the image User is the default; --user overrides it', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  t.like(resolveUser({layerDirs: dirs, imageUser: 'user'}), {spec: 'user', uid: 1234})
  t.like(resolveUser({layerDirs: dirs, imageUser: 'user', user: 'root'}), {spec: 'root', uid: 0})
})

test('an image without /etc/passwd or /etc/group: numbers work, names do not', (t) => {
  const dirs = layerDirs(t, [[{file: 'bin/app', content: '', mode: 0o755}]])
  const u = resolveUser({layerDirs: dirs, user: '1000:1000', groups: ['2000']})
  t.like(u, {uid: 1000, gid: 1000, home: '/'})
  t.deepEqual(u.additionalGids, [1000, 2000])
  t.like(resolveUser({layerDirs: dirs}), {uid: 0, gid: 0, home: '/'})
  t.throws(() => resolveUser({layerDirs: dirs, user: 'root'}), {message: 'unable to find user root: no matching entries in passwd file'})
  t.throws(() => resolveUser({layerDirs: dirs, groups: ['wheel']}), {message: 'Unable to find group wheel: no matching entries in group file'})
})

test('the files are read through the layers: a later layer adding a user is honoured', (t) => {
  const dirs = layerDirs(t, [busyboxLayer(), [{file: 'etc/passwd', content: `${BUSYBOX_PASSWD}app:x:999:999:app:/srv/app:/bin/sh\n`}]])
  t.like(resolveUser({layerDirs: dirs, user: 'app'}), {uid: 999, gid: 999, home: '/srv/app'})
  const deleted = layerDirs(t, [busyboxLayer(), [{whiteout: 'etc/passwd'}]])
  t.throws(() => resolveUser({layerDirs: deleted, user: 'user'}), {message: 'unable to find user user: no matching entries in passwd file'})
})

test('--group-add: names from /etc/group, numbers as given, after the primary gid, without duplicates', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  const u = resolveUser({layerDirs: dirs, user: 'user', ...splitGroupAdd(['audio', '777', 'wheel,tty', '1234'])})
  t.deepEqual(u.additionalGids, [1234, 70000, 777, 10, 5, 50])
  t.throws(() => resolveUser({layerDirs: dirs, groups: ['nosuchgroup']}), {message: 'Unable to find group nosuchgroup: no matching entries in group file'})
})

test('keep-groups stands alone and is reported for the runtime', (t) => {
  const dirs = layerDirs(t, [busyboxLayer()])
  t.deepEqual(splitGroupAdd(['keep-groups']), {groups: [], keepGroups: true})
  t.deepEqual(splitGroupAdd(['wheel', 'tty']), {groups: ['wheel', 'tty'], keepGroups: false})
  const message = "the '--group-add keep-groups' option is not allowed with any other --group-add options"
  t.throws(() => splitGroupAdd(['keep-groups', 'wheel']), {instanceOf: UsageError, message})
  t.throws(() => splitGroupAdd(['keep-groups,wheel']), {message})
  const u = resolveUser({layerDirs: dirs, user: 'user', ...splitGroupAdd(['keep-groups'])})
  t.true(u.keepGroups)
  t.deepEqual(u.additionalGids, [1234, 10, 50, 70000])
})
