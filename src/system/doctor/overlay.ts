// Native overlay inside a user namespace (a real mount on the graph root's filesystem), and
// fuse-overlayfs as the fallback: installed, and /dev/fuse usable by the user.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {probeNativeOverlay} from '../../storage/store/driver/overlay-probe'
import {CheckGroup, CheckResult, asRoot, fail, ok, warn} from './check-result'
import {DoctorContext, nearestExisting} from './context'

const FUSE_DEVICE = '/dev/fuse'
const SEARCH_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin']

export function findFuseOverlayfs(env: NodeJS.ProcessEnv | Record<string, string | undefined>): string | undefined {
  const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_DIRS]
  for (const dir of dirs) {
    const candidate = path.join(dir, 'fuse-overlayfs')
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      continue
    }
  }
  return undefined
}

function usable(p: string, mode: number): boolean {
  try {
    fs.accessSync(p, mode)
    return true
  } catch {
    return false
  }
}

/** Where to probe: the graph root, or (before it exists) the nearest dir above it we may write. */
function probeDir(ctx: DoctorContext): string | undefined {
  const dir = nearestExisting(ctx.config.graphRoot)
  return usable(dir, fs.constants.W_OK | fs.constants.X_OK) && fs.statSync(dir).isDirectory() ? dir : undefined
}

interface FuseState {
  binary?: string
  deviceOk: boolean
  device: string
}

function fuseState(ctx: DoctorContext): FuseState {
  let device = `${FUSE_DEVICE} is missing`
  let deviceOk = false
  try {
    const st = fs.statSync(FUSE_DEVICE)
    deviceOk = usable(FUSE_DEVICE, fs.constants.R_OK | fs.constants.W_OK)
    device = `${FUSE_DEVICE} (mode 0${(st.mode & 0o777).toString(8)}, owner ${ctx.accounts.userName(st.uid)}:${ctx.accounts.groupName(st.gid)}) is ${deviceOk ? '' : 'not '}usable by you`
  } catch {
    // missing: the message above says so
  }
  return {binary: findFuseOverlayfs(ctx.env), deviceOk, device}
}

async function nativeOverlay(ctx: DoctorContext, fuse: FuseState): Promise<{result: CheckResult; works: boolean}> {
  const check = 'native overlay'
  if (!ctx.rootless) {
    const known = fs.readFileSync('/proc/filesystems', 'utf8').split('\n').some((l) => l.trim().endsWith('overlay'))
    return known
      ? {result: ok(check, 'overlay is in /proc/filesystems; as root it is mounted without a user namespace'), works: true}
      : {result: fail(check, 'overlay is not in /proc/filesystems', asRoot('modprobe overlay')), works: false}
  }
  const dir = probeDir(ctx)
  if (!ctx.mapping) return {result: fail(check, `not probed: no id mapping can be planned: ${ctx.mappingError}`, 'see the subuid and subgid lines'), works: false}
  if (!dir)
    return {
      result: warn(check, `not probed: neither the graph root ${ctx.config.graphRoot} nor a dir above it is writable by you`, 'see the graph root path line'),
      works: false,
    }
  const probe = await probeNativeOverlay(dir, ctx.mapping)
  const where = dir === ctx.config.graphRoot ? `in the graph root ${dir}` : `in ${dir} (the graph root does not exist yet)`
  if (probe.native)
    return {result: ok(check, `works inside a user namespace (a real mount ${where}: a kernel-style whiteout, two lower dirs, userxattr)`), works: true}
  const message = `mounting overlay inside a user namespace failed ${where}: ${probe.error}`
  if (fuse.binary && fuse.deviceOk) return {result: warn(check, message, 'use fuse-overlayfs instead (see the fuse-overlayfs line)'), works: false}
  return {result: fail(check, message, 'use a kernel whose overlay mounts in user namespaces (5.13 or later), or fuse-overlayfs (see the fuse-overlayfs line)'), works: false}
}

function fuseFallback(ctx: DoctorContext, fuse: FuseState, nativeWorks: boolean): CheckResult {
  const check = 'fuse-overlayfs'
  const configured = ctx.config.overlay.mountProgram
  if (nativeWorks) {
    const state = fuse.binary ? `${fuse.binary} is installed; ${fuse.device}` : 'not installed'
    return ok(check, `${state}; not needed: native overlay works${configured ? ` (but mount_program = "${configured}" is configured and takes precedence)` : ''}`)
  }
  if (fuse.binary && fuse.deviceOk) {
    if (configured) return ok(check, `${fuse.binary} is installed and ${fuse.device}; mount_program = "${configured}" is configured`)
    const file = ctx.config.configFile ?? 'your storage.conf'
    return warn(check, `${fuse.binary} is installed and ${fuse.device}: it can stand in for native overlay`, `set mount_program = "${fuse.binary}" under [storage.options.overlay] in ${file}`)
  }
  const missing = fuse.binary ? `${fuse.binary} is installed but ${fuse.device}` : `fuse-overlayfs is not installed; ${fuse.device}`
  const commands = [...(fuse.binary ? [] : ['apt-get install fuse-overlayfs']), ...(fuse.deviceOk ? [] : [`chmod 0666 ${FUSE_DEVICE}`])]
  return fail(check, `${missing}: there is no overlay at all for rootless containers`, `${asRoot(...commands)}, or use a kernel whose overlay mounts in user namespaces (5.13 or later)`, {
    rootCommands: commands,
  })
}

export const overlayChecks: CheckGroup = {
  name: 'overlay',
  summary: 'native overlay in a user namespace (a real mount), and fuse-overlayfs as the fallback',
  async run(ctx) {
    const fuse = fuseState(ctx)
    const native = await nativeOverlay(ctx, fuse)
    return [native.result, fuseFallback(ctx, fuse, native.works)]
  },
}
