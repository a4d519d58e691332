// Podman's defaults for a container's config.json: containers/common pkg/config (default
// capabilities, masked and read-only paths, shm size, umask), runtime-tools' default mounts as
// Podman adjusts them (pkg/specgen/generate/oci_linux.go) and libpod's rlimits.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {OciMount, OciRlimit} from '../oci-spec'

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** containers.conf `default_capabilities` (containers/common pkg/config/default.go). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP',
  'CAP_SETGID',
  'CAP_SETPCAP',
  'CAP_SETUID',
  'CAP_SYS_CHROOT',
]

/** containers/common getMaskedPaths, plus /sys/devices/virtual/powercap as libpod adds it. */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/sys/devices/virtual/powercap',
  '/sys/firmware',
  '/sys/fs/selinux',
  '/proc/interrupts',
]

export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']

/** Masked too when the host has them: /sys/devices/system/cpu/cpu<N>/thermal_throttle (a glob in Podman). */
export function thermalThrottlePaths(cpuDir = '/sys/devices/system/cpu'): string[] {
  let names: string[]
  try {
    names = fs.readdirSync(cpuDir)
  } catch {
    return []
  }
  return names
    .filter((n) => /^cpu/.test(n))
    .sort()
    .map((n) => path.posix.join(cpuDir, n, 'thermal_throttle'))
    .filter((p) => fs.existsSync(p))
}

export const DEFAULT_SHM_SIZE = '65536k'
export const DEFAULT_UMASK = 0o022
export const DEFAULT_NO_NEW_PRIVILEGES = false
/** libpod/define RLimitDefaultValue: NOFILE and NPROC when no --ulimit sets them. */
export const RLIMIT_DEFAULT_VALUE = 1048576
/** Where `--init` mounts the init binary (libpod/define ContainerInitPath). */
export const CONTAINER_INIT_PATH = '/run/podman-init'
/** Dirs that get a tmpfs with `--read-only` unless `--read-only-tmpfs=false`. */
export const READ_ONLY_TMPFS_DIRS: readonly string[] = ['/tmp', '/var/tmp', '/run']
export const READ_ONLY_TMPFS_OPTIONS: readonly string[] = ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']

export interface DefaultMountsRequest {
  /**
   * 'new': a sysfs instance (the container owns its network namespace); 'bind': the host's /sys,
   * read-only (--network host or a joined namespace)
   */
  sys: 'new' | 'bind'
  /** container gid 5 (tty) exists in the user namespace, so devpts can use gid=5 */
  ttyGidMapped: boolean
  /** the kernel has mqueue (/proc/filesystems) */
  mqueue: boolean
  /** --ipc: none mounts no /dev/shm; host binds the host's /dev/shm and /dev/mqueue (absent: a private namespace's own) */
  ipc?: 'none' | 'host'
}

/** The mounts every container gets before its own volumes, in runtime-tools' order. */
export function defaultMounts(request: DefaultMountsRequest): OciMount[] {
  const devpts = request.ttyGidMapped
    ? ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']
    : ['rprivate', 'nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620']
  const mounts: OciMount[] = [
    {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
    {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
    {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: devpts},
  ]
  if (request.ipc === 'host')
    mounts.push(
      {destination: '/dev/shm', type: 'bind', source: '/dev/shm', options: ['rbind', 'nosuid', 'noexec', 'nodev']},
      {destination: '/dev/mqueue', type: 'bind', source: '/dev/mqueue', options: ['bind', 'nosuid', 'noexec', 'nodev']},
    )
  else {
    if (request.ipc !== 'none')
      mounts.push({destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${DEFAULT_SHM_SIZE}`]})
    if (request.mqueue) mounts.push({destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']})
  }
  if (request.sys === 'new') {
    mounts.push(
      {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']},
      {destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', 'ro']},
    )
  } else {
    mounts.push(
      {destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind']},
      {destination: '/sys/fs/cgroup', type: 'cgroup', source: '/sys/fs/cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro']},
    )
  }
  return mounts
}

export interface Rlimit {
  /** Infinity for unlimited */
  soft: number
  hard: number
}

export interface ProcessLimits {
  nofile?: Rlimit
  nproc?: Rlimit
}

function limitValue(text: string): number {
  return text === 'unlimited' ? Infinity : Number(text)
}

/** The RLIMIT_NOFILE and RLIMIT_NPROC of a process, from /proc/<pid>/limits. */
export function readProcessLimits(file = '/proc/self/limits'): ProcessLimits {
  const out: ProcessLimits = {}
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return out
  }
  for (const line of text.split('\n')) {
    const m = /^Max (open files|processes)\s+(\S+)\s+(\S+)/.exec(line)
    if (!m) continue
    const limit = {soft: limitValue(m[2]), hard: limitValue(m[3])}
    if (Number.isNaN(limit.soft) || Number.isNaN(limit.hard)) continue
    if (m[1] === 'open files') out.nofile = limit
    else out.nproc = limit
  }
  return out
}

/**
 * RLIMIT_NOFILE and RLIMIT_NPROC at 1048576, as libpod sets them. With `clamp` (rootless, or
 * no CAP_SYS_RESOURCE) each is lowered to the caller's own soft and hard limit: a process
 * cannot raise its hard limit without that capability, and the runtime would fail with
 * `setrlimit RLIMIT_NOFILE: Operation not permitted`.
 */
export function defaultRlimits(request: {clamp: boolean; limits: ProcessLimits}): OciRlimit[] {
  const one = (type: string, current: Rlimit | undefined): OciRlimit => {
    let hard = RLIMIT_DEFAULT_VALUE
    let soft = RLIMIT_DEFAULT_VALUE
    if (request.clamp && current) {
      hard = Math.min(hard, current.hard)
      soft = Math.min(soft, current.soft)
    }
    return {type, hard, soft}
  }
  return [one('RLIMIT_NOFILE', request.limits.nofile), one('RLIMIT_NPROC', request.limits.nproc)]
}

/** Whether the kernel offers the mqueue filesystem. */
export function mqueueSupported(file = '/proc/filesystems'): boolean {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .some((line) => line.trim().split(/\s+/).pop() === 'mqueue')
  } catch {
    return false
  }
}
