// cgroups: rootless resource limits need cgroup v2 and a cgroup delegated to the user (systemd's
// user@UID.service with Delegate=): the controllers there decide which flags can work.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {readCgroupInfo} from '../../runtime/host'
import {MountEntry} from '../../storage/store/preflight/mountinfo'
import {CheckGroup, CheckResult, asRoot, ok, warn} from './check-result'
import {DoctorContext} from './context'

const CHECK = 'cgroups'
const CGROUP_ROOT = '/sys/fs/cgroup'

/** The run/create flags each controller makes work (Podman's resource flags). */
export const CONTROLLER_FLAGS: Record<string, string[]> = {
  cpu: ['--cpus', '--cpu-shares', '--cpu-quota', '--cpu-period'],
  cpuset: ['--cpuset-cpus', '--cpuset-mems'],
  io: ['--blkio-weight', '--device-read-bps', '--device-write-bps'],
  memory: ['--memory', '--memory-reservation', '--memory-swap'],
  pids: ['--pids-limit'],
}

const ALL_FLAGS = Object.values(CONTROLLER_FLAGS).flat()

export interface Delegation {
  /** the topmost cgroup on the way to ours that the user owns (its subtree is the user's) */
  dir: string
  controllers: string[]
}

/** The process's own cgroup v2 path ("0::/user.slice/...") from /proc/self/cgroup text. */
export function ownCgroupPath(procSelfCgroup: string): string | undefined {
  const line = procSelfCgroup.split('\n').find((l) => l.startsWith('0::'))
  return line ? line.slice(3) : undefined
}

function ownedBy(file: string, uid: number): boolean {
  try {
    return fs.statSync(file).uid === uid
  } catch {
    return false
  }
}

/** Where the user may create cgroups: the topmost dir it owns, with its subtree_control. */
export function findDelegation(root: string, own: string, uid: number): Delegation | undefined {
  const parts = own.split('/').filter(Boolean)
  for (let i = 0; i <= parts.length; i++) {
    const dir = path.join(root, ...parts.slice(0, i))
    if (!ownedBy(dir, uid) || !ownedBy(path.join(dir, 'cgroup.subtree_control'), uid)) continue
    let controllers: string[] = []
    try {
      controllers = fs.readFileSync(path.join(dir, 'cgroup.controllers'), 'utf8').trim().split(/\s+/).filter(Boolean)
    } catch {
      controllers = []
    }
    return {dir, controllers}
  }
  return undefined
}

/** readCgroupInfo's answer, with a hybrid setup (v1 hierarchies plus a cgroup2 mount) told apart. */
export function cgroupVersion(mounts: MountEntry[]): 'v2' | 'hybrid' | 'v1' {
  if (readCgroupInfo().version === 'v2') return 'v2'
  return mounts.some((m) => m.fsType === 'cgroup2') ? 'hybrid' : 'v1'
}

const DELEGATE_CONF = '/etc/systemd/system/user@.service.d/delegate.conf'

export function judgeDelegation(ctx: Pick<DoctorContext, 'user'>, delegation: Delegation | undefined, own: string): CheckResult {
  const fix =
    `${asRoot(`mkdir -p ${path.dirname(DELEGATE_CONF)} && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' > ${DELEGATE_CONF} && systemctl daemon-reload`)}, ` +
    `then log in again (\`loginctl enable-linger ${ctx.user.name}\` keeps user@${ctx.user.uid}.service running)`
  if (!delegation)
    return warn(CHECK, `cgroup v2, but no cgroup on the way to yours (${own}) is delegated to you: resource limits (${ALL_FLAGS.slice(0, 3).join(', ')}, ...) cannot be applied rootless`, fix)
  const usable = Object.keys(CONTROLLER_FLAGS).filter((c) => delegation.controllers.includes(c))
  const missing = Object.keys(CONTROLLER_FLAGS).filter((c) => !delegation.controllers.includes(c))
  const works = usable.length ? `${usable.join(' ')} → ${usable.flatMap((c) => CONTROLLER_FLAGS[c]).join(', ')} work` : 'no resource controller'
  const found = `cgroup v2, ${delegation.dir} is delegated to you: ${works}`
  if (missing.length === 0) return ok(CHECK, found)
  return warn(CHECK, `${found}; ${missing.join(' ')} not delegated: ${missing.flatMap((c) => CONTROLLER_FLAGS[c]).join(', ')} will fail`, fix)
}

function checkCgroups(ctx: DoctorContext): CheckResult {
  const version = cgroupVersion(ctx.mounts())
  if (version !== 'v2') {
    const unified = ctx.mounts().find((m) => m.fsType === 'cgroup2')
    const what = version === 'hybrid' ? `cgroup v1 (hybrid: cgroup2 also mounted at ${unified!.mountPoint})` : 'cgroup v1'
    if (!ctx.rootless) return ok(CHECK, `${what}: as root, resource limits use the v1 controllers`)
    return warn(
      CHECK,
      `${what}: resource limits (${ALL_FLAGS.join(', ')}) are unavailable rootless; containers run without them`,
      'boot with cgroup v2 only (kernel parameter systemd.unified_cgroup_hierarchy=1) and delegate controllers to users',
    )
  }
  if (!ctx.rootless) return ok(CHECK, 'cgroup v2: as root, every resource flag works')
  const own = ownCgroupPath(fs.readFileSync('/proc/self/cgroup', 'utf8')) ?? '/'
  return judgeDelegation(ctx, findDelegation(CGROUP_ROOT, own, ctx.user.uid), own)
}

export const cgroupChecks: CheckGroup = {
  name: 'cgroups',
  summary: 'cgroup version and delegation: which resource flags will work',
  async run(ctx) {
    return [checkCgroups(ctx)]
  },
}
