// @userns
// Issue #6 with an external runtime: a store under a dir the user reaches only through a
// supplementary group (root:tspodstor 0750). crun sets the container's groups before it touches
// the rootfs, so it fails there — reproduced below with crun itself, outside tspod — and tspod's
// preflight stops such a run first with the dir and the fixes, unless the groups are kept.
// runc mounts before it sets the groups, like tspod's native runtime: it works.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {hybridCgroupWithV2Controllers} from '../../../src/runtime/oci-runtime/helper-steps'
import {versionAtLeast} from '../../../src/runtime/oci-runtime/resolve'
import {busyboxImage} from '../../helpers/oci-image'
import {SUPP_GROUP, TEST_USER, groupId, lookupUser, removeTree, runAs, userTempDir} from '../../helpers/rootless'
import {ImageStore, makeImageStore, runContainer} from './image-store'

const user = lookupUser(TEST_USER)

/** A dir owned root:tspodstor, mode 0750: the user passes only through its supplementary group. */
function groupOnlyDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.chownSync(dir, 0, groupId(SUPP_GROUP))
  fs.chmodSync(dir, 0o750)
  return dir
}

const guarded = groupOnlyDir('tspod-oci-sg-')
const plainDir = userTempDir(user, 'tspod-oci-plain-')
/** a store under the group-only dir */
let store: ImageStore
/** a store the user reaches directly */
let plainStore: ImageStore

test.before(async () => {
  const storeDir = path.join(guarded, 'storage')
  fs.mkdirSync(storeDir, {mode: 0o700})
  fs.chownSync(storeDir, user.uid, user.gid)
  const busybox = await busyboxImage()
  store = await makeImageStore(user, storeDir, {busybox})
  plainStore = await makeImageStore(user, plainDir, {busybox})
})

test.after.always(() => {
  removeTree(guarded)
  removeTree(plainDir)
})

const script = {args: ['sh', '-c', 'id; echo hello > /hello; cat /hello']}

test('crun without keep-groups: exit 125 naming the dir, the chgrp/chmod/setfacl fixes and --group-add=keep-groups', async (t) => {
  const report = await runContainer(store, {runtime: 'crun', options: script})
  t.is(report.exit, undefined, 'nothing ran')
  t.is(report.error?.name, 'TspodError')
  t.is(report.error?.exitCode, 125)
  t.is(report.error?.code, 'EACCES')
  t.is(report.error?.path, guarded)
  const message = report.error!.message
  t.true(message.startsWith(`${guarded} (owner root:${SUPP_GROUP}, ids 0:${groupId(SUPP_GROUP)}, mode 0750) is searchable by you only through your supplementary group ${SUPP_GROUP}`), message)
  t.regex(message, /: crun [\d.]+ sets the container's groups before it mounts the container's rootfs; fix: /)
  t.true(message.includes(`\`chgrp ${user.name} ${guarded} && chmod g+x ${guarded}\``), message)
  t.true(message.includes(`\`chmod o+x ${guarded}\``), message)
  t.true(message.includes(`\`setfacl -m u:${user.name}:x ${guarded}\``), message)
  t.true(message.includes('run containers with --group-add=keep-groups'), message)
  t.true(message.endsWith("or run it without --runtime (tspod's own runtime mounts the rootfs before it sets the groups)"), message)
})

test('crun with --group-add=keep-groups works, and the kept group shows as 65534; so do runc and the native runtime without it', async (t) => {
  const kept = await runContainer(store, {runtime: 'crun', options: {...script, groupAdd: ['keep-groups']}})
  t.is(kept.error, undefined)
  t.deepEqual(kept.exit, {code: 0, signal: null})
  t.regex(kept.stdout!, /^uid=0\(root\) gid=0\(root\) groups=.*65534.*\nhello\n$/)
  t.deepEqual(kept.warnings, [])

  const runc = await runContainer(store, {runtime: 'runc', options: script})
  t.is(runc.error, undefined)
  t.deepEqual(runc.exit, {code: 0, signal: null})
  t.regex(runc.stdout!, /\nhello\n$/)
  t.true(runc.warnings!.length > 0)
  for (const warning of runc.warnings!) {
    t.true(warning.startsWith(`${guarded} (owner root:${SUPP_GROUP}`), warning)
    t.regex(warning, /; runc [\d.+\w]+ mounts the rootfs and the volumes before it sets the container's groups, so this run works, but crun fails here with "Permission denied"; fix: .*--group-add=keep-groups/)
  }

  const native = await runContainer(store, {options: script})
  t.deepEqual(native.exit, {code: 0, signal: null})
  t.is(native.stdout, runc.stdout)
})

test('the reason, reproduced with crun itself: the same bundle without keep-groups fails on the merged dir', async (t) => {
  const kept = await runContainer(store, {runtime: 'crun', options: {args: ['true'], groupAdd: ['keep-groups']}})
  t.deepEqual(kept.exit, {code: 0, signal: null})
  // the bundle startWithOciRuntime wrote and crun ran, with the keep-groups annotation taken out
  const bundle = path.join(path.dirname(kept.layout.mergedDir), 'bundle')
  const configFile = path.join(bundle, 'config.json')
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'))
  t.is(config.annotations['run.oci.keep_original_groups'], '1')
  delete config.annotations['run.oci.keep_original_groups']
  fs.writeFileSync(configFile, JSON.stringify(config))

  // Podman's way, by hand: crun in the user's namespace (newuidmap/newgidmap with its ranges), overlay mounted first
  const {lowerDirs, upperDir, workDir, mergedDir} = kept.layout
  const hideControllers = hybridCgroupWithV2Controllers()
    ? `mount --bind ${bundle}/cgroup2-controllers /sys/fs/cgroup/unified/cgroup.controllers && `
    : ''
  const steps =
    'mount --make-rslave / && ' +
    hideControllers +
    `mount -t overlay overlay -o lowerdir=${lowerDirs.join(':')},upperdir=${upperDir},workdir=${workDir},userxattr ${mergedDir} && ` +
    `exec crun --root ${bundle}/runtime run --bundle ${bundle} reproduce`
  const r = await runAs(user, ['unshare', '--map-auto', '--map-root-user', '--mount', 'sh', '-c', steps])
  t.is(r.code, 1)
  // crun < 1.16: make `<rootfs>` private; later crun: open `<rootfs>` or "a component is not accessible"
  t.regex(r.stderr, new RegExp(`(make \`${mergedDir}\` private|open \`${mergedDir}\`): (Permission denied|a component is not accessible|cannot open component)`))
})

test('a bind-mount source reachable only through the group: an error for crun before 1.10 (opened after setgroups), fine for runc', async (t) => {
  const outside = groupOnlyDir('tspod-oci-sg-vol-')
  t.teardown(() => removeTree(outside))
  const volume = path.join(outside, 'vol')
  fs.mkdirSync(volume, {mode: 0o755})
  fs.writeFileSync(path.join(volume, 'file'), 'in the volume\n', {mode: 0o644})
  const mounts = [{destination: '/vol', type: 'bind', source: volume, options: ['rbind', 'ro']}]
  const request = {options: {args: ['cat', '/vol/file']}, mounts}

  const crun = await runContainer(plainStore, {...request, runtime: 'crun'})
  if (versionAtLeast(crun.runtime?.version, '1.10')) {
    t.is(crun.error, undefined)
    t.is(crun.stdout, 'in the volume\n')
  } else {
    t.is(crun.error?.exitCode, 125)
    t.is(crun.error?.path, outside)
    t.regex(crun.error!.message, /the bind mount source .*\/vol cannot be reached there.*: crun [\d.]+ sets the container's groups before it mounts the bind-mount sources; fix: /)
  }
  const runc = await runContainer(plainStore, {...request, runtime: 'runc'})
  t.is(runc.error, undefined)
  t.is(runc.stdout, 'in the volume\n')
})
