// @userns
// The walker's decisions, held against what the kernel really answers for tspoduser (with its
// groups, and with only its primary group as inside the namespace after setgroups).
import test, {ExecutionContext} from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {MAY_EXEC, MAY_READ, decideAccess} from '../../../../src/storage/store/preflight/access-decision'
import {PreflightUser, walkAccess} from '../../../../src/storage/store/preflight/access-walk'
import {checkPaths, checkStorePaths, explainPermissionError, findingsOf} from '../../../../src/storage/store/preflight/preflight'
import {loadStorageConfig} from '../../../../src/storage/config/storage-conf'
import {UserNamespaceMapping} from '../../../../src/userns/idmap'
import {SUPP_GROUP, TEST_USER, groupId, lookupUser, removeTree} from '../../../helpers/rootless'
import {TestOp, loginGroups, realAccess} from './real-access'

const user = lookupUser(TEST_USER)
const who: PreflightUser = {uid: user.uid, gid: user.gid, groups: loginGroups(user), name: user.name}
const STOR = groupId(SUPP_GROUP)

const KEEP = 'run containers with --group-add=keep-groups (they keep your supplementary groups, shown as nobody/65534 inside, and can no longer switch groups)'

/** A root-owned 0755 scratch dir (mkdtemp makes 0700). */
function base(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-walk-'))
  fs.chmodSync(dir, 0o755)
  t.teardown(() => removeTree(dir))
  return dir
}

function mkdir(p: string, mode: number, uid = 0, gid = 0): string {
  fs.mkdirSync(p)
  fs.chownSync(p, uid, gid)
  fs.chmodSync(p, mode)
  return p
}

const subidMapping: UserNamespaceMapping = {
  mode: 'subid',
  uidMap: [{containerID: 0, hostID: user.uid, size: 1}, {containerID: 1, hostID: 100000, size: 65536}],
  gidMap: [{containerID: 0, hostID: user.gid, size: 1}, {containerID: 1, hostID: 100000, size: 65536}],
  setgroups: 'allow',
}

test('a dir reachable only through a supplementary group: warned, with the dir, owner:group, mode, group and both fixes', (t) => {
  const dir = base(t)
  const stor = mkdir(path.join(dir, 'stor'), 0o750, 0, STOR)
  const graph = mkdir(path.join(stor, 'graph'), 0o700, user.uid, user.gid)
  const walk = walkAccess(graph, who, 'write', {role: 'graph root', mapping: subidMapping})
  t.true(walk.ok)
  t.false(walk.okInNamespace)
  t.deepEqual(walk.steps.map((s) => s.path), ['/', path.dirname(dir), dir, stor, graph])
  const step = walk.steps[3]
  t.is(step.host.route, 'supplementary-group')
  t.is(step.host.group, STOR)
  t.is(step.namespace.route, 'none')
  t.is(walk.steps[4].host.route, 'owner')
  t.is(walk.findings.length, 1)
  const f = walk.findings[0]
  t.like(f, {
    kind: 'supplementary-group-only',
    severity: 'warning',
    path: stor,
    owner: {uid: 0, name: 'root'},
    group: {gid: STOR, name: SUPP_GROUP},
    mode: '0750',
    viaGroup: {gid: STOR, name: SUPP_GROUP},
    needsRoot: true,
    keepGroupsFixes: true,
  })
  t.is(
    f.message,
    `${stor} (owner root:${SUPP_GROUP}, ids 0:${STOR}, mode 0750) is searchable by you only through your supplementary group ${SUPP_GROUP} (gid ${STOR}); ` +
      `inside the user namespace the runtime drops supplementary groups (setgroups), so the graph root ${graph} cannot be reached there and containers fail with "Permission denied"`,
  )
  t.deepEqual(f.commands, [`chgrp ${user.name} ${stor} && chmod g+x ${stor}`, `chmod o+x ${stor}`, `setfacl -m u:${user.name}:x ${stor}`])
  t.is(
    f.fix,
    `as root: \`chgrp ${user.name} ${stor} && chmod g+x ${stor}\` (members of ${SUPP_GROUP} then lose their group access), ` +
      `or \`chmod o+x ${stor}\` (if every user may pass through it), or \`setfacl -m u:${user.name}:x ${stor}\` (only you); or ${KEEP}`,
  )
  // The kernel agrees: reachable with the groups, a wall without them.
  t.deepEqual(realAccess(user, [['-w', graph]], 'all'), [true])
  t.deepEqual(realAccess(user, [['-x', graph]], 'primary-only'), [false])
})

test('each fix really works for the user without its supplementary groups', (t) => {
  const dir = base(t)
  const fixes = [
    (d: string) => execFileSync('sh', ['-c', `chgrp ${user.name} ${d} && chmod g+x ${d}`]),
    (d: string) => execFileSync('chmod', ['o+x', d]),
    (d: string) => execFileSync('setfacl', ['-m', `u:${user.name}:x`, d]),
  ]
  fixes.forEach((apply, i) => {
    const stor = mkdir(path.join(dir, `stor${i}`), 0o750, 0, STOR)
    const graph = mkdir(path.join(stor, 'graph'), 0o700, user.uid, user.gid)
    const [before] = walkAccess(graph, who, 'write').findings
    t.true(before.commands[i] !== undefined)
    apply(stor)
    const after = walkAccess(graph, who, 'write')
    t.deepEqual(after.findings, [], `fix ${i}`)
    t.true(after.okInNamespace)
    t.deepEqual(realAccess(user, [['-w', graph]], 'primary-only'), [true], `fix ${i}`)
  })
})

test('with --group-add=keep-groups, or a single mapping (setgroups deny), the group stays and the walk says why it works', (t) => {
  const dir = base(t)
  const stor = mkdir(path.join(dir, 'stor'), 0o750, 0, STOR)
  const graph = mkdir(path.join(stor, 'graph'), 0o700, user.uid, user.gid)
  const kept = walkAccess(graph, who, 'write', {role: 'graph root', keepGroups: true, mapping: subidMapping})
  t.true(kept.okInNamespace)
  t.is(kept.findings.length, 1)
  t.like(kept.findings[0], {kind: 'groups-kept', severity: 'info', fix: ''})
  t.is(
    kept.findings[0].message,
    `${stor} (owner root:${SUPP_GROUP}, ids 0:${STOR}, mode 0750) is searchable by you only through your supplementary group ${SUPP_GROUP} (gid ${STOR}); ` +
      '--group-add=keep-groups keeps that group in the container, so this works',
  )
  const single: UserNamespaceMapping = {
    mode: 'single',
    uidMap: [{containerID: 0, hostID: user.uid, size: 1}],
    gidMap: [{containerID: 0, hostID: user.gid, size: 1}],
    setgroups: 'deny',
  }
  const denied = walkAccess(graph, who, 'write', {role: 'graph root', mapping: single})
  t.true(denied.okInNamespace)
  t.regex(denied.findings[0].message, /; the single mapping denies setgroups, so the group is never dropped and this works$/)
})

test('an unreachable ancestor (root:root 0700) is an error with the fix, and the walk stops there', (t) => {
  const dir = base(t)
  const locked = mkdir(path.join(dir, 'locked'), 0o700)
  const graph = path.join(locked, 'graph')
  fs.mkdirSync(graph)
  const walk = walkAccess(graph, who, 'write', {role: 'graph root', alternative: 'choose another graph root'})
  t.false(walk.ok)
  t.deepEqual(walk.steps.map((s) => s.path), ['/', path.dirname(dir), dir, locked])
  t.is(walk.findings.length, 1)
  t.like(walk.findings[0], {kind: 'denied', severity: 'error', path: locked, mode: '0700', needsRoot: true, keepGroupsFixes: false})
  t.is(
    walk.findings[0].message,
    `${locked} (owner root:root, ids 0:0, mode 0700) is not searchable by you: you are neither its owner nor in its group root, ` +
      `and its "other" bits (---) lack x; the graph root ${graph} cannot be used`,
  )
  t.is(
    walk.findings[0].fix,
    `as root: \`setfacl -m u:${user.name}:x ${locked}\`, or \`chmod o+x ${locked}\` (if every user may pass through it); or choose another graph root`,
  )
  t.deepEqual(realAccess(user, [['-x', locked]], 'all'), [false])
})

test('a missing path: fine when the user may create it, an error with the install -d fix when not', (t) => {
  const dir = base(t)
  const own = mkdir(path.join(dir, 'own'), 0o700, user.uid, user.gid)
  const creatable = walkAccess(path.join(own, 'a', 'b'), who, 'write', {role: 'graph root'})
  t.is(creatable.missing, path.join(own, 'a'))
  t.true(creatable.ok)
  t.deepEqual(creatable.findings, [])
  const rootOwned = mkdir(path.join(dir, 'shared'), 0o755)
  const target = path.join(rootOwned, 'graph')
  const blocked = walkAccess(target, who, 'write', {role: 'graph root'})
  t.false(blocked.ok)
  t.like(blocked.findings[0], {kind: 'cannot-create', severity: 'error', path: rootOwned})
  t.is(
    blocked.findings[0].message,
    `${target} does not exist and you cannot create it: ${rootOwned} (owner root:root, ids 0:0, mode 0755) is not writable by you ` +
      `(you are neither its owner nor in its group root, and its "other" bits (r-x) lack w)`,
  )
  t.is(blocked.findings[0].fix, `as root: \`install -d -m 0700 -o ${user.name} -g ${user.name} ${target}\``)
})

test('symlinks are followed: the dir at fault is the one the link leads through', (t) => {
  const dir = base(t)
  const stor = mkdir(path.join(dir, 'stor'), 0o750, 0, STOR)
  mkdir(path.join(stor, 'graph'), 0o700, user.uid, user.gid)
  fs.symlinkSync('stor', path.join(dir, 'rel'))
  fs.symlinkSync(stor, path.join(dir, 'abs'))
  for (const link of ['rel', 'abs']) {
    const walk = walkAccess(path.join(dir, link, 'graph'), who, 'write')
    t.deepEqual(walk.steps.map((s) => s.path).slice(-2), [stor, path.join(stor, 'graph')], link)
    t.is(walk.findings[0].path, stor)
  }
  fs.symlinkSync('loop', path.join(dir, 'loop'))
  const loop = walkAccess(path.join(dir, 'loop', 'x'), who, 'read')
  t.like(loop.findings[0], {kind: 'uninspectable', severity: 'error'})
  t.regex(loop.findings[0].message, /too many levels of symbolic links/)
})

test('ACLs count: a named-user entry, a named group only held as supplementary, and a mask that withholds', (t) => {
  const dir = base(t)
  const named = mkdir(path.join(dir, 'named'), 0o700)
  execFileSync('setfacl', ['-m', `u:${user.name}:x`, named])
  const viaGroup = mkdir(path.join(dir, 'group'), 0o700)
  execFileSync('setfacl', ['-m', `g:${SUPP_GROUP}:x`, viaGroup])
  const masked = mkdir(path.join(dir, 'masked'), 0o700)
  execFileSync('setfacl', ['-m', `g:${SUPP_GROUP}:x`, masked])
  execFileSync('setfacl', ['-m', 'm::r', masked])

  const [n, g, m] = [named, viaGroup, masked].map((d) => walkAccess(d, who, 'traverse').steps.at(-1)!)
  t.is(n.host.route, 'named-user')
  t.is(n.namespace.route, 'named-user')
  t.is(g.host.route, 'supplementary-group')
  t.is(g.namespace.route, 'none')
  t.false(m.host.granted)
  t.is(m.host.decidedBy, 'group')

  const groupWalk = walkAccess(viaGroup, who, 'traverse')
  // With an ACL, chgrp + chmod g+x would only move the mask: that fix is not offered.
  t.deepEqual(groupWalk.findings[0].commands, [`chmod o+x ${viaGroup}`, `setfacl -m u:${user.name}:x ${viaGroup}`])
  t.regex(groupWalk.findings[0].message, new RegExp(`mode 0710, ACL user::rwx,group::---,group:${STOR}:--x,mask::--x,other::---\\) is searchable`))

  const queries: [TestOp, string][] = [['-x', named], ['-x', viaGroup], ['-x', masked]]
  t.deepEqual(realAccess(user, queries, 'all'), [true, true, false])
  t.deepEqual(realAccess(user, queries, 'primary-only'), [true, false, false])
})

test('every mode and owning group: the walker agrees with the kernel, with and without supplementary groups', (t) => {
  const dir = base(t)
  const modes = [0o700, 0o701, 0o705, 0o710, 0o750, 0o751, 0o770, 0o755, 0o711, 0o000]
  const groups = [0, STOR, user.gid]
  const acls = [
    `u:${user.name}:x`,
    `u:${user.name}:---`,
    `u:${user.name}:rwx,m::x`,
    `g:${SUPP_GROUP}:x`,
    `g:${SUPP_GROUP}:x,m::r`,
    `g:${SUPP_GROUP}:rwx,g:${user.name}:x`,
    `g:${user.name}:r-x,g:${SUPP_GROUP}:-wx`,
    'g::x,o::---',
  ]
  const dirs: string[] = []
  for (const mode of modes) for (const gid of groups) dirs.push(mkdir(path.join(dir, `d${mode.toString(8)}-${gid}`), mode, 0, gid))
  acls.forEach((acl, i) => {
    for (const [mode, gid] of [[0o700, 0], [0o750, STOR], [0o705, user.gid]]) {
      const d = mkdir(path.join(dir, `acl${i}-${mode.toString(8)}-${gid}`), mode, 0, gid)
      execFileSync('setfacl', ['-m', acl, d])
      dirs.push(d)
    }
  })
  const queries = dirs.flatMap((d) => (['-x', '-r', '-w'] as TestOp[]).map((op): [TestOp, string] => [op, d]))
  const need = {'-x': 'traverse', '-r': 'read', '-w': 'write'} as const
  const wanted = {'-x': MAY_EXEC, '-r': MAY_READ, '-w': 2} as const
  const walked = queries.map(([op, d]) => {
    const last = walkAccess(d, who, need[op]).steps.at(-1)!
    // `test -r/-w` ask for r or w alone; the walker asks a dir for r+x / w+x: decide the bare bit too.
    const inode = {uid: last.uid, gid: last.gid, mode: last.mode | 0o040000, acl: last.acl}
    return {
      host: decideAccess(inode, who, wanted[op]).granted,
      ns: decideAccess(inode, {uid: who.uid, gid: who.gid, groups: []}, wanted[op]).granted,
    }
  })
  t.deepEqual(walked.map((w) => w.host), realAccess(user, queries, 'all'))
  t.deepEqual(walked.map((w) => w.ns), realAccess(user, queries, 'primary-only'))
  // The odd case the comparison covers: 0705 root:tspodstor shuts out the group's members only.
  const odd = walkAccess(path.join(dir, `d705-${STOR}`), who, 'traverse')
  t.false(odd.ok)
  t.is(odd.steps.at(-1)!.namespace.route, 'other')
})

test('inside the namespace, its root passes dirs whose owner and group it maps (CAP_DAC_OVERRIDE), never others', (t) => {
  const dir = base(t)
  const mapped = mkdir(path.join(dir, 'mapped'), 0o700, 100005, 100005)
  const unmapped = mkdir(path.join(dir, 'unmapped'), 0o700, 100005, 0)
  const walk = (d: string) => walkAccess(d, who, 'traverse', {mapping: subidMapping}).steps.at(-1)!
  t.is(walk(mapped).namespace.route, 'capability')
  t.false(walk(mapped).host.granted)
  t.is(walk(unmapped).namespace.route, 'none')
  // A file with no x bit stays unexecutable even for a capable root.
  const file = {uid: 100005, gid: 100005, mode: 0o100600}
  t.false(decideAccess(file, who, MAY_EXEC, true).granted)
  t.true(decideAccess(file, who, MAY_READ, true).granted)
})

test('checkStorePaths walks the graph root and the run root; checkPaths takes the runtime\'s own list', (t) => {
  const dir = base(t)
  const stor = mkdir(path.join(dir, 'stor'), 0o750, 0, STOR)
  const own = mkdir(path.join(dir, 'own'), 0o700, user.uid, user.gid)
  const config = loadStorageConfig({root: path.join(stor, 'graph'), runRoot: path.join(own, 'run')}, {HOME: user.home, TSPOD_STORAGE_CONF: '/nonexistent'}, user.uid)
  mkdir(config.graphRoot, 0o700, user.uid, user.gid)
  const walks = checkStorePaths(config, who)
  t.deepEqual(walks.map((w) => [w.role, w.target, w.need]), [
    ['graph root', config.graphRoot, 'write'],
    ['run root', config.runRoot, 'write'],
  ])
  t.is(walks[0].findings[0].kind, 'supplementary-group-only')
  t.deepEqual(walks[1].findings, [])
  t.is(walks[1].missing, config.runRoot)

  const source = path.join(stor, 'data.txt')
  fs.writeFileSync(source, 'x')
  fs.chownSync(source, 0, STOR)
  fs.chmodSync(source, 0o640)
  const runtime = checkPaths([{path: source, need: 'read', role: 'bind mount source'}], who)
  const kinds = findingsOf(runtime).map((f) => [f.path, f.kind])
  t.deepEqual(kinds, [
    [stor, 'supplementary-group-only'],
    [source, 'supplementary-group-only'],
  ])
  t.regex(findingsOf(runtime)[1].message, /data\.txt \(owner root:tspodstor, ids 0:\d+, mode 0640\) is readable by you only through/)
  t.deepEqual(findingsOf(runtime)[1].commands.slice(1), [`chmod o+r ${source}`, `setfacl -m u:${user.name}:r ${source}`])
})

test('explainPermissionError turns a bare EACCES into the finding, and leaves other errors alone', (t) => {
  const dir = base(t)
  const stor = mkdir(path.join(dir, 'stor'), 0o750, 0, STOR)
  const merged = mkdir(path.join(stor, 'merged'), 0o700, user.uid, user.gid)
  const walks = checkPaths([{path: merged, need: 'traverse', role: 'container root'}], who)
  const eacces = Object.assign(new Error(`make \`${merged}\` private: Permission denied`), {code: 'EACCES', errno: -13, syscall: 'mount'})
  const explained = explainPermissionError(eacces, walks) as Error & {code: string; path: string}
  t.is(explained.code, 'EACCES')
  t.is(explained.path, stor)
  t.true(explained.message.startsWith(`make \`${merged}\` private: Permission denied: ${stor} (owner root:${SUPP_GROUP}`))
  t.true(explained.message.endsWith(`; or ${KEEP}`))
  const enoent = Object.assign(new Error('nope'), {code: 'ENOENT'})
  t.is(explainPermissionError(enoent, walks), enoent)
  const clean = checkPaths([{path: dir, need: 'traverse', role: 'x'}], who)
  t.is(explainPermissionError(eacces, clean), eacces)
})

test('relative paths are refused', (t) => {
  t.throws(() => walkAccess('rel/path', who, 'read'), {message: 'preflight: "rel/path" is not an absolute path'})
})
