// The part of the OCI runtime spec (config.json, runtime-spec 1.0 field names) that tspod's
// runtime consumes. Fields tspod does not act on are left out rather than silently ignored.

export interface OciUser {
  uid: number
  gid: number
  /** additional gids in the container namespace; an empty list drops every supplementary group */
  additionalGids?: number[]
  umask?: number
}

export interface OciCapabilities {
  bounding?: string[]
  effective?: string[]
  permitted?: string[]
  inheritable?: string[]
  ambient?: string[]
}

export interface OciRlimit {
  /** e.g. RLIMIT_NOFILE */
  type: string
  hard: number
  soft: number
}

export interface OciProcess {
  terminal?: boolean
  /** the terminal's size when the process starts (with terminal) */
  consoleSize?: {height: number; width: number}
  user: OciUser
  args: string[]
  env?: string[]
  cwd: string
  capabilities?: OciCapabilities
  rlimits?: OciRlimit[]
  noNewPrivileges?: boolean
}

export interface OciRoot {
  path: string
  readonly?: boolean
}

export interface OciMount {
  destination: string
  type?: string
  source?: string
  options?: string[]
}

export type OciNamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup'

export interface OciNamespace {
  type: OciNamespaceType
  /** join an existing namespace instead of creating one */
  path?: string
}

export interface OciIdMapping {
  containerID: number
  hostID: number
  size: number
}

export interface OciSeccompArg {
  index: number
  value: number
  valueTwo?: number
  /** SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT, _MASKED_EQ */
  op: string
}

export interface OciSyscallRule {
  names: string[]
  /** SCMP_ACT_ALLOW, _ERRNO, _KILL, _KILL_PROCESS, _KILL_THREAD, _TRAP, _TRACE, _LOG */
  action: string
  /** the errno of SCMP_ACT_ERRNO / SCMP_ACT_TRACE; EPERM when absent */
  errnoRet?: number
  args?: OciSeccompArg[]
}

export interface OciSeccomp {
  defaultAction: string
  defaultErrnoRet?: number
  /** SCMP_ARCH_*; the native one alone when empty */
  architectures?: string[]
  /** SECCOMP_FILTER_FLAG_* */
  flags?: string[]
  syscalls?: OciSyscallRule[]
}

/** A device cgroup rule (linux.resources.devices): major/minor absent for all. */
export interface OciDeviceCgroupRule {
  allow: boolean
  type?: 'a' | 'b' | 'c'
  major?: number
  minor?: number
  access?: string
}

export interface OciLinux {
  /** only for an external runtime run as root: tspod's own runtime has no cgroups */
  resources?: {devices?: OciDeviceCgroupRule[]}
  namespaces?: OciNamespace[]
  uidMappings?: OciIdMapping[]
  gidMappings?: OciIdMapping[]
  maskedPaths?: string[]
  readonlyPaths?: string[]
  /** propagation of the container's `/`: private (default), rprivate, slave, rslave, shared, rshared */
  rootfsPropagation?: string
  /** absent: no filter (seccomp=unconfined) */
  seccomp?: OciSeccomp
  /** sysctl key (net.ipv4.ping_group_range) to value, written in the container's namespaces */
  sysctl?: Record<string, string>
}

export interface OciSpec {
  ociVersion: string
  process: OciProcess
  root: OciRoot
  hostname?: string
  mounts?: OciMount[]
  linux?: OciLinux
  /** `run.oci.keep_original_groups=1` keeps the caller's supplementary groups (crun, Podman's keep-groups) */
  annotations?: Record<string, string>
}

/** The annotation Podman sets for `--group-add keep-groups` (libpod/define/annotations.go). */
export const KEEP_ORIGINAL_GROUPS_ANNOTATION = 'run.oci.keep_original_groups'

/** The annotations Podman records --security-opt in (libpod/define/annotations.go); inspect reads them back. */
export const SECCOMP_ANNOTATION = 'io.podman.annotations.seccomp'
export const LABEL_ANNOTATION = 'io.podman.annotations.label'
export const APPARMOR_ANNOTATION = 'io.podman.annotations.apparmor'
