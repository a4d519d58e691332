// @userns
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {cgroupChecks, cgroupVersion, findDelegation, judgeDelegation, ownCgroupPath} from '../../../src/system/doctor/cgroups'
import {createDoctorContext} from '../../../src/system/doctor/context'
import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {readCgroupInfo} from '../../../src/runtime/host'
import {readMountInfo} from '../../../src/storage/store/preflight/mountinfo'
import {TEST_USER, lookupUser, removeTree} from '../../helpers/rootless'

const u = lookupUser(TEST_USER)
const ctx = {user: {name: u.name, uid: u.uid, gid: u.gid, home: u.home, groups: [u.gid]}}

/** A cgroup v2 tree laid out (and owned) as systemd delegates user@UID.service, in a plain dir. */
function delegatedTree(t: {teardown(fn: () => void): void}, controllers: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cgroup-'))
  t.teardown(() => removeTree(root))
  const service = path.join(root, 'user.slice', `user-${u.uid}.slice`, `user@${u.uid}.service`)
  const scope = path.join(service, 'app.slice', 'shell.scope')
  fs.mkdirSync(scope, {recursive: true})
  for (const dir of [root, path.dirname(path.dirname(service)), path.dirname(service)]) fs.writeFileSync(path.join(dir, 'cgroup.subtree_control'), '')
  for (const dir of [service, path.dirname(scope), scope]) {
    fs.chownSync(dir, u.uid, u.gid)
    fs.writeFileSync(path.join(dir, 'cgroup.subtree_control'), '')
    fs.chownSync(path.join(dir, 'cgroup.subtree_control'), u.uid, u.gid)
  }
  fs.writeFileSync(path.join(service, 'cgroup.controllers'), controllers + '\n')
  return {root, service, own: ownCgroupPath(`1:name=systemd:/x\n0::/user.slice/user-${u.uid}.slice/user@${u.uid}.service/app.slice/shell.scope\n`)!}
}

test('the delegated cgroup is the topmost one the user owns; its controllers decide the flags', (t) => {
  const {root, service, own} = delegatedTree(t, 'memory pids')
  const d = findDelegation(root, own, u.uid)
  t.deepEqual(d, {dir: service, controllers: ['memory', 'pids']})
  const r = judgeDelegation(ctx, d, own)
  t.is(r.status, 'WARN')
  t.is(
    r.message,
    `cgroup v2, ${service} is delegated to you: memory pids → --memory, --memory-reservation, --memory-swap, --pids-limit work; ` +
      'cpu cpuset io not delegated: --cpus, --cpu-shares, --cpu-quota, --cpu-period, --cpuset-cpus, --cpuset-mems, --blkio-weight, --device-read-bps, --device-write-bps will fail',
  )
  t.true(r.fix.startsWith("as root: `mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' > /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload`"))
})

test('every controller delegated is OK; nothing owned by the user is a warning', (t) => {
  const {root, own} = delegatedTree(t, 'cpuset cpu io memory pids')
  t.is(judgeDelegation(ctx, findDelegation(root, own, u.uid), own).status, 'OK')
  t.is(findDelegation(root, own, 4242), undefined)
  const none = judgeDelegation(ctx, undefined, own)
  t.is(none.status, 'WARN')
  t.is(none.message, `cgroup v2, but no cgroup on the way to yours (${own}) is delegated to you: resource limits (--cpus, --cpu-shares, --cpu-quota, ...) cannot be applied rootless`)
})

test('the version here follows the mounts: hybrid when cgroup2 is mounted beside v1 hierarchies', (t) => {
  const mounts = readMountInfo()
  const unified = readCgroupInfo().version === 'v2'
  t.is(cgroupVersion(mounts), unified ? 'v2' : mounts.some((m) => m.fsType === 'cgroup2') ? 'hybrid' : 'v1')
  if (!unified) t.is(cgroupVersion(mounts.filter((m) => m.fsType !== 'cgroup2')), 'v1')
})

test('on v1 or hybrid hosts, rootless resource limits are reported unavailable with the v2 fix', async (t) => {
  const mounts = readMountInfo()
  const version = cgroupVersion(mounts)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cg-'))
  t.teardown(() => removeTree(dir))
  const config = loadStorageConfig({root: path.join(dir, 'g'), runRoot: path.join(dir, 'r')}, {HOME: u.home, TSPOD_STORAGE_CONF: '/nonexistent'}, u.uid)
  const [result] = await cgroupChecks.run(createDoctorContext(config, {user: ctx.user, env: {}}))
  if (version === 'v2') {
    t.regex(result.message, /^cgroup v2/)
    return
  }
  const unified = mounts.find((m) => m.fsType === 'cgroup2')
  t.is(result.status, 'WARN')
  t.is(
    result.message,
    `${version === 'hybrid' ? `cgroup v1 (hybrid: cgroup2 also mounted at ${unified!.mountPoint})` : 'cgroup v1'}: resource limits ` +
      '(--cpus, --cpu-shares, --cpu-quota, --cpu-period, --cpuset-cpus, --cpuset-mems, --blkio-weight, --device-read-bps, --device-write-bps, ' +
      '--memory, --memory-reservation, --memory-swap, --pids-limit) are unavailable rootless; containers run without them',
  )
  t.is(result.fix, 'boot with cgroup v2 only (kernel parameter systemd.unified_cgroup_hierarchy=1) and delegate controllers to users')
})
