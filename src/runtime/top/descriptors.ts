// The AIX-format descriptors `podman top` accepts (containers/psgo): each one's code, name,
// header, and how it turns a process into its column.
import {UsageError} from '../../errors'
import {goDuration, goTime} from './go-format'
import {ProcProcess} from './proc'

/** What the columns need beyond the process itself: its ids and pids as the container sees them, names. */
export interface TopContext {
  containerPid(p: ProcProcess): number
  containerPpid(p: ProcProcess): number
  containerPgid(p: ProcProcess): number
  /** status Uid/Gid field i (0 real, 1 effective) mapped into the container's user namespace */
  uid(p: ProcProcess, i: number): number
  gid(p: ProcProcess, i: number): number
  groups(p: ProcProcess): number[]
  /** names from the container's /etc/passwd and /etc/group, else the number */
  userName(uid: number): string
  groupName(gid: number): string
  /** names from the host's databases, else the number */
  hostUserName(uid: number): string
  hostGroupName(gid: number): string
  /** the tty path under the container's /dev without "/dev/", or "?" */
  tty(ttyNr: number): string
  /** elapsed time since the process started, in nanoseconds */
  elapsedNs(p: ProcProcess): bigint
  /** the start time in Unix seconds (whole seconds, as psgo computes it) */
  startTime(p: ProcProcess): number
}

interface Descriptor {
  code?: string
  normal: string
  header: string
  value(p: ProcProcess, ctx: TopContext): string
}

/** sysconf(_SC_CLK_TCK): USER_HZ, the unit of /proc's times, is 100 on every architecture tspod runs on. */
export const CLOCK_TICKS = 100

/** psgo's CPUTime: whole seconds of user + system time. */
function cpuSeconds(p: ProcProcess): number {
  return Math.floor((p.stat.utime + p.stat.stime) / CLOCK_TICKS)
}

/** Go's strconv.FormatFloat(f, 'f', 3, 64). */
function formatFloat3(f: number): string {
  if (Number.isNaN(f)) return 'NaN'
  if (f === Infinity) return '+Inf'
  if (f === -Infinity) return '-Inf'
  return f.toFixed(3)
}

const CAPABILITY_NAMES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT',
  'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
  'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
]
/** psgo's FullCAPs: every capability it knows (0..40). */
const FULL_CAPS = 0x1ffffffffffn

/** A status Cap* mask as psgo prints it: "full", "none", or the sorted names. */
export function capabilitySet(mask: string): string {
  const bits = BigInt(`0x${mask || '0'}`)
  if (bits === FULL_CAPS) return 'full'
  const names: string[] = []
  for (let i = 0n; i < 64n; i++) if ((bits >> i) & 1n) names.push(CAPABILITY_NAMES[Number(i)] ?? 'unknown')
  return names.length === 0 ? 'none' : names.sort().join(',')
}

function seccompMode(value: string): string {
  return {'0': 'disabled', '1': 'strict', '2': 'filter'}[value] ?? '?'
}

const DESCRIPTORS: Descriptor[] = [
  {
    code: '%C',
    normal: 'pcpu',
    header: '%CPU',
    value: (p, ctx) => formatFloat3((100 * cpuSeconds(p)) / (Number(ctx.elapsedNs(p)) / 1e9)),
  },
  {code: '%G', normal: 'group', header: 'GROUP', value: (p, ctx) => ctx.groupName(ctx.gid(p, 1))},
  {normal: 'groups', header: 'GROUPS', value: (p, ctx) => ctx.groups(p).map((g) => ctx.groupName(g)).join(',')},
  {code: '%P', normal: 'ppid', header: 'PPID', value: (p, ctx) => String(ctx.containerPpid(p))},
  {code: '%U', normal: 'user', header: 'USER', value: (p, ctx) => ctx.userName(ctx.uid(p, 1))},
  {normal: 'uid', header: 'UID', value: (p, ctx) => String(ctx.uid(p, 1))},
  // ps(1) shows "[name]" for a process without a command line (a kernel thread, a zombie)
  {code: '%a', normal: 'args', header: 'COMMAND', value: (p) => (p.argv.length === 0 || p.argv[0] === '' ? `[${p.status.name}]` : p.argv.join(' '))},
  {code: '%c', normal: 'comm', header: 'COMMAND', value: (p) => p.stat.comm},
  {code: '%g', normal: 'rgroup', header: 'RGROUP', value: (p, ctx) => ctx.groupName(ctx.gid(p, 0))},
  {code: '%n', normal: 'nice', header: 'NI', value: (p) => p.stat.nice},
  {code: '%p', normal: 'pid', header: 'PID', value: (p, ctx) => String(ctx.containerPid(p))},
  {code: '%r', normal: 'pgid', header: 'PGID', value: (p, ctx) => String(ctx.containerPgid(p))},
  {code: '%t', normal: 'etime', header: 'ELAPSED', value: (p, ctx) => goDuration(ctx.elapsedNs(p))},
  {code: '%u', normal: 'ruser', header: 'RUSER', value: (p, ctx) => ctx.userName(ctx.uid(p, 0))},
  {code: '%x', normal: 'time', header: 'TIME', value: (p) => goDuration(BigInt(cpuSeconds(p)) * 1_000_000_000n)},
  {code: '%y', normal: 'tty', header: 'TTY', value: (p, ctx) => ctx.tty(p.stat.ttyNr)},
  {code: '%z', normal: 'vsz', header: 'VSZ', value: (p) => String(Math.floor(p.stat.vsize / 1024))},
  {normal: 'capamb', header: 'AMBIENT CAPS', value: (p) => capabilitySet(p.status.capAmb)},
  {normal: 'capinh', header: 'INHERITED CAPS', value: (p) => capabilitySet(p.status.capInh)},
  {normal: 'capprm', header: 'PERMITTED CAPS', value: (p) => capabilitySet(p.status.capPrm)},
  {normal: 'capeff', header: 'EFFECTIVE CAPS', value: (p) => capabilitySet(p.status.capEff)},
  {normal: 'capbnd', header: 'BOUNDING CAPS', value: (p) => capabilitySet(p.status.capBnd)},
  {normal: 'seccomp', header: 'SECCOMP', value: (p) => seccompMode(p.status.seccomp)},
  {normal: 'label', header: 'LABEL', value: (p) => p.label},
  {normal: 'hpid', header: 'HPID', value: (p) => String(p.pid)},
  {normal: 'huser', header: 'HUSER', value: (p, ctx) => ctx.hostUserName(p.status.uids[1])},
  {normal: 'huid', header: 'HUID', value: (p) => String(p.status.uids[1])},
  {normal: 'hgroup', header: 'HGROUP', value: (p, ctx) => ctx.hostGroupName(p.status.gids[1])},
  {normal: 'hgroups', header: 'HGROUPS', value: (p, ctx) => p.status.groups.map((g) => ctx.hostGroupName(g)).join(',')},
  {normal: 'rss', header: 'RSS', value: (p) => p.status.vmRss || '0'},
  {normal: 'state', header: 'STATE', value: (p) => p.status.state},
  {normal: 'stime', header: 'STIME', value: (p, ctx) => goTime(ctx.startTime(p))},
]

/** psgo's DefaultDescriptors, the `ps -ef`-like default of `podman top`. */
export const DEFAULT_DESCRIPTORS: readonly string[] = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args']

/** Every descriptor name, sorted (psgo's ListDescriptors, for `podman top --help`-style lists). */
export function listDescriptors(): string[] {
  return DESCRIPTORS.map((d) => d.normal).sort()
}

export interface ResolvedDescriptor {
  header: string
  value(p: ProcProcess, ctx: TopContext): string
}

/**
 * Descriptors by name or code; each argument may hold several separated by commas, as Podman
 * splits them. None given means the default set. An unknown one fails in psgo's words.
 */
export function resolveDescriptors(descriptors: string[] | undefined): ResolvedDescriptor[] {
  const names = (descriptors ?? []).flatMap((d) => d.split(',')).filter((d) => d !== '')
  return (names.length > 0 ? names : DEFAULT_DESCRIPTORS).map((raw) => {
    const name = raw.trim()
    const found = DESCRIPTORS.find((d) => d.normal === name || d.code === name)
    if (!found) throw new UsageError(`'${name}': unknown descriptor`)
    return {header: found.header, value: found.value}
  })
}
