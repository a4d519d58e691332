// `tspod doctor` as the rootless user, each broken condition set up for real.
import test, {ExecutionContext} from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {NOSUB_USER, SUPP_GROUP, Sandbox, TEST_USER, TSPOD_BIN, groupId, lookupUser, removeTree, runAs, sandbox, tspod} from '../helpers/rootless'
import {MIGRATIONS} from '../../src/storage/store/db/migrations'

const user = lookupUser(TEST_USER)
const STOR = groupId(SUPP_GROUP)
const KEEP = 'run containers with --group-add=keep-groups (they keep your supplementary groups, shown as nobody/65534 inside, and can no longer switch groups)'
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'doctor-store.js')

function box(t: ExecutionContext, name = TEST_USER): Sandbox {
  const b = sandbox(lookupUser(name))
  t.teardown(() => removeTree(b.dir))
  return b
}

function mkdir(p: string, mode: number, uid = 0, gid = 0): string {
  fs.mkdirSync(p)
  fs.chownSync(p, uid, gid)
  fs.chmodSync(p, mode)
  return p
}

/** The output lines of one check (by its name), e.g. lines(out, 'graph root path'). */
function lines(stdout: string, check: string): string[] {
  return stdout.split('\n').filter((l) => new RegExp(`^(OK  |WARN|FAIL) ${check}: `).test(l))
}

function nextFree(file: string): number {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length === 3)
    .reduce((max, f) => Math.max(max, Number(f[1]) + Number(f[2])), 100000)
}

/** Every path below dir with its kind and owner, as root sees it. */
function tree(dir: string): string[] {
  return execFileSync('find', [dir, '-printf', '%P %y %U:%G\n'], {encoding: 'utf8'}).trim().split('\n').sort()
}

test('graph root under a root:tspodstor 0750 dir: WARN naming the dir, owner:group, mode, the group and both fixes', async (t) => {
  const b = box(t)
  const stor = mkdir(path.join(b.dir, 'stor'), 0o750, 0, STOR)
  const graph = mkdir(path.join(stor, 'graph'), 0o700, user.uid, user.gid)
  const args = ['doctor', '--root', graph, '--runroot', path.join(b.dir, 'run'), '--check', 'store-paths']
  const r = await tspod(b, args)
  t.is(r.code, 1, r.stdout + r.stderr)
  t.deepEqual(lines(r.stdout, 'graph root path'), [
    `WARN graph root path: ${stor} (owner root:${SUPP_GROUP}, ids 0:${STOR}, mode 0750) is searchable by you only through your supplementary group ${SUPP_GROUP} (gid ${STOR}); ` +
      `inside the user namespace the runtime drops supplementary groups (setgroups), so the graph root ${graph} cannot be reached there and containers fail with "Permission denied"; ` +
      `fix: as root: \`chgrp ${TEST_USER} ${stor} && chmod g+x ${stor}\` (members of ${SUPP_GROUP} then lose their group access), or \`chmod o+x ${stor}\` (if every user may pass through it), ` +
      `or \`setfacl -m u:${TEST_USER}:x ${stor}\` (only you); or ${KEEP}`,
  ])
  t.deepEqual(lines(r.stdout, 'graph root owner'), [`OK   graph root owner: ${graph} is owned by you (${TEST_USER}), mode 0700`])

  // --fix cannot repair it without root: it prints the command, and touches nothing.
  const fix = await tspod(b, [...args, '--fix'])
  t.is(fix.code, 1)
  t.true(fix.stdout.endsWith(`\nneeds root (graph root path): setfacl -m u:${TEST_USER}:x ${stor}\n`), fix.stdout)
  t.is(fs.statSync(stor).mode & 0o7777, 0o750)

  // Running that command as root is enough.
  execFileSync('setfacl', ['-m', `u:${TEST_USER}:x`, stor])
  const after = await tspod(b, args)
  t.is(after.code, 0, after.stdout)
  t.deepEqual(lines(after.stdout, 'graph root path'), [`OK   graph root path: every dir from / to ${graph} is searchable by you and it is writable, also inside the user namespace`])
})

test('an unreadable ancestor (root:root 0700): FAIL with the fix, exit 2, and every other check still reports', async (t) => {
  const b = box(t)
  const locked = mkdir(path.join(b.dir, 'locked'), 0o700)
  const graph = mkdir(path.join(locked, 'graph'), 0o700, user.uid, user.gid)
  const r = await tspod(b, ['doctor', '--root', graph, '--runroot', path.join(b.dir, 'run')])
  t.is(r.code, 2, r.stdout + r.stderr)
  t.deepEqual(lines(r.stdout, 'graph root path'), [
    `FAIL graph root path: ${locked} (owner root:root, ids 0:0, mode 0700) is not searchable by you: you are neither its owner nor in its group root, ` +
      `and its "other" bits (---) lack x; the graph root ${graph} cannot be used; ` +
      `fix: as root: \`setfacl -m u:${TEST_USER}:x ${locked}\`, or \`chmod o+x ${locked}\` (if every user may pass through it); ` +
      `or choose a graph root you can reach (graphroot in ${b.dir}/config/tspod/storage.conf, or --root)`,
  ])
  t.deepEqual(lines(r.stdout, 'graph root owner'), [`WARN graph root owner: not checked: ${graph} cannot be reached (see the graph root path line)`])
  t.deepEqual(lines(r.stdout, 'native overlay'), [
    `WARN native overlay: not probed: neither the graph root ${graph} nor a dir above it is writable by you; fix: see the graph root path line`,
  ])
  t.is(r.stderr, '')
  for (const line of r.stdout.trim().split('\n')) t.regex(line, /^(OK  |WARN|FAIL) [^:]+: /)
})

test('a user without subordinate ranges: WARN with the exact usermod fix, and setgroups deny explained', async (t) => {
  const b = box(t, NOSUB_USER)
  const r = await tspod(b, ['doctor', '--check', 'subids', '--check', 'setgroups', '--check', 'idmap-tools'])
  t.is(r.code, 1, r.stdout + r.stderr)
  const uidStart = nextFree('/etc/subuid')
  const gidStart = nextFree('/etc/subgid')
  t.deepEqual(lines(r.stdout, 'subuid'), [
    `WARN subuid: no range for user "${NOSUB_USER}" in /etc/subuid: tspod falls back to a single mapping (only your own uid is mapped), ` +
      `so image files owned by any other user cannot be stored; fix: as root: \`usermod --add-subuids ${uidStart}-${uidStart + 65535} ${NOSUB_USER}\``,
  ])
  t.deepEqual(lines(r.stdout, 'subgid'), [
    `WARN subgid: no range for user "${NOSUB_USER}" in /etc/subgid: tspod falls back to a single mapping (only your own gid is mapped), ` +
      `so image files owned by any other group cannot be stored; fix: as root: \`usermod --add-subgids ${gidStart}-${gidStart + 65535} ${NOSUB_USER}\``,
  ])
  const [setgroups] = lines(r.stdout, 'setgroups')
  t.true(
    setgroups.startsWith(
      'WARN setgroups: deny under the single mapping (no subordinate ranges): containers keep all your supplementary groups, ' +
        '--group-add cannot set groups, and --group-add=keep-groups is not available (nor needed)',
    ),
    setgroups,
  )
  t.true(setgroups.endsWith('; fix: add subordinate ranges (see the subuid and subgid lines); setgroups is then allow'))
  t.deepEqual(lines(r.stdout, 'newuidmap'), ['OK   newuidmap: /usr/bin/newuidmap is setuid root'])
  const fix = await tspod(b, ['doctor', '--check', 'subids', '--fix'])
  t.deepEqual(fix.stdout.split('\n').filter((l) => l.startsWith('needs root')), [
    `needs root (subuid): usermod --add-subuids ${uidStart}-${uidStart + 65535} ${NOSUB_USER}`,
    `needs root (subgid): usermod --add-subgids ${gidStart}-${gidStart + 65535} ${NOSUB_USER}`,
  ])
})

test('the user with its ranges: subids, tools, namespaces and setgroups are all OK (exit 0)', async (t) => {
  const b = box(t)
  const r = await tspod(b, ['doctor', '--check', 'subids', '--check', 'idmap-tools', '--check', 'userns', '--check', 'setgroups', '--check', 'runtime-dir'])
  t.is(r.code, 0, r.stdout + r.stderr)
  const out = r.stdout.trim().split('\n')
  t.deepEqual(out.map((l) => l.split(':')[0]), ['OK   subuid', 'OK   subgid', 'OK   newuidmap', 'OK   newgidmap', 'OK   user namespaces', 'OK   setgroups', 'OK   XDG_RUNTIME_DIR'])
  const max = fs.readFileSync('/proc/sys/user/max_user_namespaces', 'utf8').trim()
  const range = (file: string) => fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${TEST_USER}:`))!.split(':').slice(1).join(' ')
  t.is(
    out[4],
    `OK   user namespaces: max_user_namespaces is ${max}; a user namespace was created with the subid mapping ` +
      `(uid map 0 ${user.uid} 1, 1 ${range('/etc/subuid')}; gid map 0 ${user.gid} 1, 1 ${range('/etc/subgid')})`,
  )
  t.true(out[5].includes('allow under the subordinate mapping (written by newgidmap)'))
  t.true(out[5].includes('--group-add=keep-groups is available'))
  t.regex(out[6], new RegExp(`^OK   XDG_RUNTIME_DIR: /run/user/${user.uid} exists, owned by you, mode 07(00|11)`))
})

test('XDG_RUNTIME_DIR modes: 0700 and 0711 (searchable, as an external runtime needs it) are OK; readable by others is a WARN', async (t) => {
  const b = box(t)
  const modes: Array<[number, number, string]> = [
    [0o700, 0, 'OK   XDG_RUNTIME_DIR: {dir} exists, owned by you, mode 0700'],
    [0o711, 0, 'OK   XDG_RUNTIME_DIR: {dir} exists, owned by you, mode 0711 (others can only pass through it, to what they know the name of)'],
    [0o755, 1, 'WARN XDG_RUNTIME_DIR: {dir} has mode 0755: other users can list or change your runtime state; fix: `chmod 0700 {dir}`'],
  ]
  for (const [mode, code, line] of modes) {
    const dir = path.join(b.dir, `run-${mode.toString(8)}`)
    fs.mkdirSync(dir)
    fs.chownSync(dir, user.uid, user.gid)
    fs.chmodSync(dir, mode)
    const r = await tspod(b, ['doctor', '--check', 'runtime-dir'], {env: {XDG_RUNTIME_DIR: dir}})
    t.is(r.code, code)
    t.is(r.stdout, `${line.replaceAll('{dir}', dir)}\n`)
  }
})

test('XDG_RUNTIME_DIR unset, missing, or someone else\'s', async (t) => {
  const b = box(t)
  const unset = await tspod(b, ['doctor', '--check', 'runtime-dir'], {env: {XDG_RUNTIME_DIR: undefined}})
  t.is(unset.code, 1)
  t.is(
    unset.stdout,
    `WARN XDG_RUNTIME_DIR: XDG_RUNTIME_DIR is not set (no login session): tspod keeps its run root in /tmp/tspod-run-${user.uid} instead; ` +
      `fix: log in through a session that sets it (ssh, \`machinectl shell ${TEST_USER}@\`); as root: \`loginctl enable-linger ${TEST_USER}\` keeps it across logouts; ` +
      `or \`export XDG_RUNTIME_DIR=/run/user/${user.uid}\` if that dir exists and is yours\n`,
  )
  const missing = await tspod(b, ['doctor', '--check', 'runtime-dir'], {env: {XDG_RUNTIME_DIR: '/run/user/99999'}})
  t.is(missing.code, 2)
  t.is(
    missing.stdout,
    `FAIL XDG_RUNTIME_DIR: XDG_RUNTIME_DIR=/run/user/99999 does not exist: tspod cannot keep its run root there; ` +
      `fix: log in through a session that sets it (ssh, \`machinectl shell ${TEST_USER}@\`); as root: \`loginctl enable-linger ${TEST_USER}\` keeps it across logouts; ` +
      `or as root: \`install -d -m 0700 -o ${TEST_USER} -g ${TEST_USER} /run/user/99999\`\n`,
  )
  const other = `/run/user/${lookupUser(NOSUB_USER).uid}`
  const foreign = await tspod(b, ['doctor', '--check', 'runtime-dir'], {env: {XDG_RUNTIME_DIR: other}})
  t.is(foreign.code, 2)
  t.true(
    foreign.stdout.startsWith(`FAIL XDG_RUNTIME_DIR: XDG_RUNTIME_DIR directory "${other}" is not owned by the current user (owner ${NOSUB_USER}, uid `),
    foreign.stdout,
  )
})

const LIVE = 'a'.repeat(64)
const GONE = 'b'.repeat(64)
const ORPHAN = 'c'.repeat(64)
const IMAGE = 'd'.repeat(64)

/** A store as the user makes it, then broken as root: a row without its dir, an orphan dir
 * holding files of subordinate ids, and leftovers of dead writers next to a live one. */
async function brokenStore(t: ExecutionContext, b: Sandbox) {
  const graph = path.join(b.dir, 'graph')
  const run = path.join(b.dir, 'run')
  const insertLayer = "INSERT INTO layers (id, diff_digest, created, incomplete, diff_size) VALUES (?, 'sha256:x', 'now', 0, 1)"
  const statements = [
    [insertLayer, [LIVE]],
    [insertLayer, [GONE]],
    ["INSERT INTO images (id, top_layer, digest, manifest, manifest_type, config, added, size) VALUES (?, ?, 'sha256:m', x'7b7d', 'application/vnd.oci.image.manifest.v1+json', x'7b7d', 'now', 1)", [IMAGE, GONE]],
    ['INSERT INTO image_layers (image_id, position, layer_id) VALUES (?, 0, ?)', [IMAGE, LIVE]],
    ['INSERT INTO image_layers (image_id, position, layer_id) VALUES (?, 1, ?)', [IMAGE, GONE]],
    ["INSERT INTO image_names (name, image_id, added) VALUES ('localhost/broken:latest', ?, 'now')", [IMAGE]],
  ]
  const made = await runAs(b.user, [process.execPath, FIXTURE, graph, run, JSON.stringify(statements)], {env: b.env})
  t.is(made.code, 0, made.stderr)
  const ownDir = (p: string) => mkdir(p, 0o755, user.uid, user.gid)
  ownDir(path.join(graph, 'overlay', LIVE))
  ownDir(path.join(graph, 'overlay', LIVE, 'diff'))
  fs.writeFileSync(path.join(graph, 'overlay', LIVE, 'diff', 'kept'), 'x')
  ownDir(path.join(graph, 'overlay', ORPHAN))
  mkdir(path.join(graph, 'overlay', ORPHAN, 'diff'), 0o700, 100005, 100005)
  fs.writeFileSync(path.join(graph, 'overlay', ORPHAN, 'diff', 'owned-by-subid'), 'x')
  fs.chownSync(path.join(graph, 'overlay', ORPHAN, 'diff', 'owned-by-subid'), 100005, 100005)
  const deadStaging = ownDir(path.join(graph, 'staging', '999999999-1-0badc0ffee'))
  mkdir(path.join(deadStaging, 'etc'), 0o700, 100000, 100000)
  fs.writeFileSync(path.join(deadStaging, 'etc', 'shadow'), 'x', {mode: 0o600})
  fs.chownSync(path.join(deadStaging, 'etc', 'shadow'), 100042, 100042)
  const deadTmp = ownDir(path.join(graph, 'tmp', '999999998-1-0badc0ffee'))
  fs.writeFileSync(path.join(deadTmp, 'blob'), 'x')
  // pid 1 is alive: its work dir is in use and must stay.
  const stat = fs.readFileSync('/proc/1/stat', 'utf8')
  const liveOwner = `1-${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}-cafe`
  ownDir(path.join(graph, 'staging', liveOwner))
  fs.writeFileSync(path.join(graph, 'notes.txt'), 'mine')
  return {graph, run, deadStaging, deadTmp, liveOwner}
}

/** "runtime v2, storage v3, volumes v1": every owner of the migration registry, as opening the store applies them all. */
function knownSchemaVersions(): string {
  const owners = [...new Set(MIGRATIONS.map((m) => m.owner))].sort()
  return owners.map((o) => `${o} v${Math.max(...MIGRATIONS.filter((m) => m.owner === o).map((m) => m.version))}`).join(', ')
}

test('a broken store: orphan dir, row without dir, dead writers\' leftovers; --fix removes the orphan and leftovers and nothing else', async (t) => {
  const b = box(t)
  const s = await brokenStore(t, b)
  const args = ['doctor', '--root', s.graph, '--runroot', s.run, '--check', 'database', '--check', 'leftovers']
  const r = await tspod(b, args)
  t.is(r.code, 2, r.stdout + r.stderr)
  t.deepEqual(lines(r.stdout, 'store database'), [`OK   store database: ${s.graph}/tspod.db: integrity ok, schema ${knownSchemaVersions()} (known), every reference resolves`])
  t.deepEqual(lines(r.stdout, 'orphan layer dirs'), [
    `WARN orphan layer dirs: 1 entry in ${s.graph}/overlay without a layer row (no image can use them; they only take space): ${ORPHAN.slice(0, 12)}; fix: \`tspod doctor --fix\` removes them`,
  ])
  t.deepEqual(lines(r.stdout, 'missing layer dirs'), [
    `FAIL missing layer dirs: 1 layer with a row but no dir: ${GONE.slice(0, 12)} (${s.graph}/overlay/${GONE}/diff); used by localhost/broken:latest; ` +
      'fix: remove the images that use them and pull them again: `tspod rmi localhost/broken:latest`',
  ])
  t.deepEqual(lines(r.stdout, 'leftover work dirs'), [
    `WARN leftover work dirs: 2 entries left by tspod processes that died (a killed pull): tmp/999999998-1-0badc0ffee, staging/999999999-1-0badc0ffee; ` +
      'fix: `tspod doctor --fix` removes them (so does any tspod command that opens the store)',
  ])
  t.deepEqual(lines(r.stdout, 'stale mounts'), [`OK   stale mounts: no mounts below ${s.graph}`])

  const before = tree(b.dir)
  const fix = await tspod(b, [...args, '--fix'])
  t.is(fix.code, 2, fix.stdout + fix.stderr)
  const out = fix.stdout.split('\n')
  t.is(out[0], `fixed (orphan layer dirs): removed 1 orphan layer dir: ${s.graph}/overlay/${ORPHAN}`)
  t.is(out[1], `fixed (leftover work dirs): removed 2 leftover work dirs: ${s.deadTmp}, ${s.deadStaging}`)
  t.deepEqual(lines(fix.stdout, 'orphan layer dirs'), [`OK   orphan layer dirs: every entry of ${s.graph}/overlay has a layer row`])
  t.true(lines(fix.stdout, 'leftover work dirs')[0].startsWith('OK   leftover work dirs: '))
  t.true(lines(fix.stdout, 'missing layer dirs')[0].startsWith('FAIL missing layer dirs: '))
  // Exactly the orphan and the two dead work dirs are gone; every other file is untouched.
  const removed = (p: string) =>
    [`graph/overlay/${ORPHAN}`, 'graph/staging/999999999-1-0badc0ffee', 'graph/tmp/999999998-1-0badc0ffee'].some((d) => p.split(' ')[0] === d || p.startsWith(d + '/'))
  t.deepEqual(tree(b.dir), before.filter((p) => !removed(p)))
  t.true(fs.existsSync(path.join(s.graph, 'staging', s.liveOwner)))
  t.is(fs.readFileSync(path.join(s.graph, 'notes.txt'), 'utf8'), 'mine')
})

test('a broken reference in the DB fails the database check; the DB is only read and left as it was', async (t) => {
  const b = box(t)
  const graph = path.join(b.dir, 'graph')
  const statements = [["INSERT INTO image_layers (image_id, position, layer_id) VALUES (?, 0, ?)", [IMAGE, GONE]]]
  const made = await runAs(b.user, [process.execPath, FIXTURE, graph, path.join(b.dir, 'run'), JSON.stringify(statements)], {env: b.env})
  t.is(made.code, 0, made.stderr)
  const db = path.join(graph, 'tspod.db')
  const before = fs.readFileSync(db)
  const r = await tspod(b, ['doctor', '--root', graph, '--check', 'database'])
  t.is(r.code, 2)
  t.is(
    r.stdout,
    `FAIL store database: ${db}: 2 broken references: image ${IMAGE.slice(0, 12)} lists layer ${GONE.slice(0, 12)}, which has no row in layers; ` +
      `image_layers names image ${IMAGE.slice(0, 12)}, which has no row in images; fix: remove the images named and pull them again (\`tspod rmi IMAGE\`)\n`,
  )
  t.deepEqual(fs.readFileSync(db), before)
  t.deepEqual(fs.readdirSync(graph).sort(), ['containers', 'overlay', 'records-storage.done', 'staging', 'store.json', 'tmp', 'tspod.db'])
})

test('a corrupt DB fails integrity_check, quoted, with the fix', async (t) => {
  const b = box(t)
  const graph = path.join(b.dir, 'graph')
  const insert = "INSERT INTO layers (id, parent, diff_digest, created, incomplete) VALUES (?, 'p', 'sha256:x', 'now', 1)"
  const made = await runAs(b.user, [process.execPath, FIXTURE, graph, path.join(b.dir, 'run'), JSON.stringify([[insert, [LIVE]], [insert, [GONE]]])], {env: b.env})
  t.is(made.code, 0, made.stderr)
  // Point an index's schema at another column: its b-tree no longer matches the table.
  const Sqlite = require('better-sqlite3')
  const db = new Sqlite(path.join(graph, 'tspod.db'))
  db.unsafeMode(true)
  db.pragma('writable_schema = ON')
  db.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX layers_diff ON layers(parent)' WHERE name = 'layers_diff'").run()
  db.close()
  const r = await tspod(b, ['doctor', '--root', graph, '--check', 'database'])
  t.is(r.code, 2)
  t.is(
    r.stdout,
    `FAIL store database: ${graph}/tspod.db is damaged: PRAGMA integrity_check reports: row 1 missing from index layers_diff; row 2 missing from index layers_diff; ` +
      "fix: run `tspod system check --repair`: it rebuilds the database from the store's files (the damaged one is kept beside it)\n",
  )
})

test('a mount left below the graph root: reported, and --fix prints the umount it cannot do as the user', async (t) => {
  const b = box(t)
  const s = await brokenStore(t, b)
  const merged = mkdir(path.join(s.graph, 'overlay', LIVE, 'merged'), 0o700, user.uid, user.gid)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tspod-stale', merged])
  t.teardown(() => execFileSync('umount', ['-l', merged]))
  const args = ['doctor', '--root', s.graph, '--runroot', s.run, '--check', 'leftovers']
  const r = await tspod(b, args)
  t.deepEqual(lines(r.stdout, 'stale mounts'), [
    `WARN stale mounts: 1 mount below the graph root, left behind (tspod's rootless mounts live in private mount namespaces and never show here): ${merged} (tmpfs); ` +
      `fix: as root: \`umount ${merged}\``,
  ])
  const fix = await tspod(b, [...args, '--fix'])
  t.true(fix.stdout.includes(`\nneeds root (stale mounts): umount ${merged}\n`), fix.stdout)
  t.true(fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${merged} `))
})

test('--fix unmounts a leftover fuse-overlayfs mount of the user itself (fusermount3 -u), then removes what it may', async (t) => {
  const b = box(t)
  const s = await brokenStore(t, b)
  const merged = mkdir(path.join(s.graph, 'overlay', LIVE, 'merged'), 0o700, user.uid, user.gid)
  for (const d of ['lower', 'upper', 'work']) mkdir(path.join(b.dir, d), 0o700, user.uid, user.gid)
  // /dev/fuse is 0600 here: give the user a usable node, in a private mount namespace only.
  const fuseNode = path.join(b.dir, 'fuse')
  execFileSync('mknod', [fuseNode, 'c', '10', '229'])
  fs.chmodSync(fuseNode, 0o666)
  const as = `setpriv --reuid ${user.uid} --regid ${user.gid} --init-groups`
  const env = `env -i HOME=${user.home} USER=${TEST_USER} PATH=/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR=/run/user/${user.uid} XDG_DATA_HOME=${b.env.XDG_DATA_HOME} XDG_CONFIG_HOME=${b.env.XDG_CONFIG_HOME}`
  const script = [
    `mount --bind ${fuseNode} /dev/fuse`,
    `${as} fuse-overlayfs -f -o lowerdir=${b.dir}/lower,upperdir=${b.dir}/upper,workdir=${b.dir}/work ${merged} & fuse=$!`,
    `for i in $(seq 50); do grep -q " ${merged} " /proc/self/mountinfo && break; sleep 0.1; done`,
    `${as} ${env} ${process.execPath} ${TSPOD_BIN} doctor --root ${s.graph} --runroot ${s.run} --check leftovers --fix`,
    'echo "exit $?"',
    `grep -c " ${merged} " /proc/self/mountinfo`,
    'kill $fuse 2>/dev/null; wait $fuse 2>/dev/null; true',
  ].join('\n')
  const out = execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {encoding: 'utf8'})
  const [report, after] = out.split(/\nexit \d+\n/)
  t.is(after.trim(), '0', out)
  t.is(report.split('\n')[0], `fixed (stale mounts): unmounted ${merged}`)
  t.deepEqual(lines(report, 'stale mounts'), [`OK   stale mounts: no mounts below ${s.graph}`])
  t.true(fs.existsSync(path.join(s.graph, 'overlay', LIVE, 'diff', 'kept')))
})

test('as root, --fix unmounts any leftover mount below the graph root', async (t) => {
  const dir = fs.mkdtempSync('/tmp/tspod-root-doctor-')
  t.teardown(() => removeTree(dir))
  const graph = mkdir(path.join(dir, 'graph'), 0o700)
  const merged = path.join(graph, 'overlay', 'x', 'merged')
  fs.mkdirSync(merged, {recursive: true})
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tspod-stale-root', merged])
  t.teardown(() => {
    if (fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${merged} `)) execFileSync('umount', ['-l', merged])
  })
  const root = lookupUser('root')
  const r = await runAs(root, [process.execPath, TSPOD_BIN, 'doctor', '--root', graph, '--runroot', path.join(dir, 'run'), '--check', 'leftovers', '--fix'])
  t.is(r.stdout.split('\n')[0], `fixed (stale mounts): unmounted ${merged}`, r.stdout + r.stderr)
  t.false(fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${merged} `))
})

test('doctor --fix creates a missing graph root and run root with mode 0700', async (t) => {
  const b = box(t)
  const graph = path.join(b.dir, 'data', 'tspod', 'storage')
  const run = path.join(b.dir, 'run', 'tspod')
  const r = await tspod(b, ['doctor', '--runroot', run, '--check', 'store-paths'])
  t.deepEqual(lines(r.stdout, 'graph root owner'), [
    `OK   graph root owner: ${graph} does not exist yet: tspod creates it (mode 0700) on first use; fix: \`tspod doctor --fix\` creates it now`,
  ])
  t.false(fs.existsSync(graph))
  const fix = await tspod(b, ['doctor', '--runroot', run, '--check', 'store-paths', '--fix'])
  t.deepEqual(fix.stdout.split('\n').slice(0, 2), [
    `fixed (graph root owner): created the graph root ${graph} (mode 0700)`,
    `fixed (run root owner): created the run root ${run} (mode 0700)`,
  ])
  for (const dir of [graph, run]) {
    const st = fs.statSync(dir)
    t.is(st.mode & 0o777, 0o700)
    t.is(st.uid, user.uid)
  }
  t.deepEqual(lines(fix.stdout, 'graph root owner'), [`OK   graph root owner: ${graph} is owned by you (${TEST_USER}), mode 0700`])
})

test('a graph root on overlayfs: the real native probe fails, the filesystem line says why, the fallback is judged', async (t) => {
  const b = box(t)
  const layers = ['l', 'u', 'w', 'm'].map((d) => mkdir(path.join(b.dir, d), 0o755))
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${layers[0]},upperdir=${layers[1]},workdir=${layers[2]}`, layers[3]])
  t.teardown(() => execFileSync('umount', ['-l', layers[3]]))
  fs.chownSync(layers[3], user.uid, user.gid)
  const graph = path.join(layers[3], 'graph')
  const r = await tspod(b, ['doctor', '--root', graph, '--runroot', path.join(b.dir, 'run'), '--check', 'overlay', '--check', 'store-paths'])
  t.is(r.code, 2, r.stdout + r.stderr)
  const fuseUsable = (await runAs(user, ['test', '-r', '/dev/fuse', '-a', '-w', '/dev/fuse'])).code === 0
  t.deepEqual(lines(r.stdout, 'native overlay'), [
    `${fuseUsable ? 'WARN' : 'FAIL'} native overlay: mounting overlay inside a user namespace failed in ${layers[3]} (the graph root does not exist yet): ` +
      'create a kernel-style whiteout: Operation not permitted; fix: ' +
      (fuseUsable ? 'use fuse-overlayfs instead (see the fuse-overlayfs line)' : 'use a kernel whose overlay mounts in user namespaces (5.13 or later), or fuse-overlayfs (see the fuse-overlayfs line)'),
  ])
  t.regex(lines(r.stdout, 'fuse-overlayfs')[0], fuseUsable ? /^WARN fuse-overlayfs: .* it can stand in for native overlay; fix: set mount_program = / : /^FAIL fuse-overlayfs: .*: there is no overlay at all for rootless containers; fix: as root: /)
  t.deepEqual(lines(r.stdout, 'graph root filesystem'), [
    `WARN graph root filesystem: ${graph} is on ${layers[3]} (overlay from overlay, options rw,relatime): native overlay cannot put its upper dir on overlay ` +
      `("'overlay' is not supported over overlay"); fix: choose a graph root on another filesystem (graphroot in ${b.dir}/config/tspod/storage.conf, or --root), or use fuse-overlayfs`,
  ])
})

test('low space, and noexec/nosuid on the graph root filesystem, are warnings', async (t) => {
  const b = box(t)
  const small = mkdir(path.join(b.dir, 'small'), 0o700, user.uid, user.gid)
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=4m,nr_inodes=400,uid=${user.uid},gid=${user.gid},mode=0700,noexec,nosuid,nodev`, 'tspod-small', small])
  t.teardown(() => execFileSync('umount', ['-l', small]))
  const r = await tspod(b, ['doctor', '--root', small, '--runroot', path.join(b.dir, 'run'), '--check', 'disk', '--check', 'store-paths'])
  t.is(r.code, 1)
  const [space] = lines(r.stdout, 'graph root space')
  t.regex(
    space,
    new RegExp(
      `^WARN graph root space: 4\\.0 MiB free of 4\\.0 MiB \\(\\d+%\\), \\d+ of 400 inodes free \\(\\d+%\\) on the filesystem of ${small}: low on space ` +
        `\\(under 1\\.0 GiB or 5%\\); pulls and containers fail with "no space left on device"; fix: free some: \`tspod image prune\`, \`tspod rmi IMAGE\`; ` +
        `or choose a graph root on a larger filesystem \\(graphroot in ${b.dir}/config/tspod/storage\\.conf, or --root\\)$`,
    ),
  )
  t.deepEqual(lines(r.stdout, 'graph root filesystem'), [
    `WARN graph root filesystem: ${small} is on ${small} (tmpfs from tspod-small, options rw,nosuid,nodev,noexec,relatime): noexec and nosuid: ` +
      'programs in containers still run through the overlay mount, which has its own options, but anything bind-mounted from this filesystem ' +
      `(volumes, files under the graph root) inherits noexec and nosuid; fix: as root: \`mount -o remount,exec,suid ${small}\` (and drop noexec, nosuid ` +
      `from its /etc/fstab line), or choose a graph root on another filesystem (graphroot in ${b.dir}/config/tspod/storage.conf, or --root)`,
  ])
})

test('--format json: an array of {check, status, message, fix}, and the exit code follows the worst status', async (t) => {
  const b = box(t)
  const r = await tspod(b, ['doctor', '--format', 'json', '--runroot', path.join(b.dir, 'run')])
  const report = JSON.parse(r.stdout) as Record<string, unknown>[]
  t.true(Array.isArray(report))
  for (const entry of report) {
    t.deepEqual(Object.keys(entry), ['check', 'status', 'message', 'fix'])
    t.true(['OK', 'WARN', 'FAIL'].includes(entry.status as string))
    t.is(typeof entry.message, 'string')
    t.is(typeof entry.fix, 'string')
  }
  t.deepEqual(
    report.map((e) => e.check),
    [
      'subuid', 'subgid', 'newuidmap', 'newgidmap', 'user namespaces', 'setgroups', 'native overlay', 'fuse-overlayfs', 'default network', 'pasta', '/dev/net/tun',
      'graph root path', 'graph root owner', 'graph root filesystem', 'run root path', 'run root owner', 'run root filesystem',
      'XDG_RUNTIME_DIR', 'graph root space', 'store database', 'store contents', 'cgroups',
    ],
  )
  const statuses = report.map((e) => e.status)
  t.is(r.code, statuses.includes('FAIL') ? 2 : statuses.includes('WARN') ? 1 : 0)
  t.is(report.find((e) => e.check === 'native overlay')!.status, 'OK')
})

test('exit codes: 0 all OK, 1 warnings only, 2 any failure, 125 for doctor\'s own errors', async (t) => {
  const b = box(t)
  const nosub = box(t, NOSUB_USER)
  const locked = mkdir(path.join(b.dir, 'locked'), 0o700)
  const [allOk, warnings, failure, bad] = await Promise.all([
    tspod(b, ['doctor', '--check', 'subids', '--check', 'idmap-tools']),
    tspod(nosub, ['doctor', '--check', 'subids']),
    tspod(b, ['doctor', '--root', path.join(locked, 'graph'), '--check', 'store-paths']),
    tspod(b, ['doctor', '--check', 'bogus']),
  ])
  t.is(allOk.code, 0)
  t.is(warnings.code, 1)
  t.is(failure.code, 2)
  t.is(bad.code, 125)
  t.regex(bad.stderr, /^Error: invalid argument "bogus" for "--check" flag: expected one of subids, idmap-tools, userns, setgroups, overlay, network, store-paths, runtime-dir, disk, database, leftovers, cgroups\nSee 'podman doctor --help'\n$/)
  const help = await tspod(b, ['doctor', '--help'])
  t.regex(help.stdout.replace(/\s+/g, " "), /Exit status: 0 when every check is OK, 1 when there are warnings but no failure, 2 when any check failed, 125 when doctor itself could not run\./)
})
