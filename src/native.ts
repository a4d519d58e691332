// The only module that loads tspod's addon (native/). It is loaded on first use, never at import.
import * as path from 'node:path'

import {PACKAGE_ROOT} from './package-info'

/** The static program every child executes last, from a sealed memfd (native/exec-helper/). */
export const EXEC_HELPER_BINARY = path.join(PACKAGE_ROOT, 'prebuilds', `${process.platform}-${process.arch}`, 'tspod-exec-helper')

export type NamespaceName = 'user' | 'mount' | 'pid' | 'uts' | 'ipc' | 'net' | 'cgroup'

/**
 * Where and when a step applies.
 * - inRoot: `path` is resolved with the child's cwd as the root (openat2 RESOLVE_IN_ROOT), so
 *   absolute symlinks and `..` in an image resolve inside it and never reach the host; mount,
 *   umount, mkdirp, touch and symlink steps honour it.
 * - optional: skip the step when `path` does not exist.
 * - onlyIf: skip the step unless `path` is a directory ('dir') or is not one ('notdir').
 */
export interface StepPlacement {
  inRoot?: boolean
  optional?: boolean
  onlyIf?: 'dir' | 'notdir'
}

/** A step with alternatives: failing with `errno` runs the next `steps` steps instead; succeeding skips them. */
export interface StepFallback {
  errno: number
  steps: number
}

export type ChildStep =
  | ({
      kind: 'mount'
      name: string
      source: string
      path: string
      fstype?: string
      flags?: number
      data?: string
      /** `source` is a path in the root too (see StepPlacement.inRoot) */
      sourceInRoot?: boolean
      /** add the flags the kernel locked on the mount (nosuid, nodev, noexec, ro, atime): for remounts */
      keepLockedFlags?: boolean
      /** copy what the dir at `path` held into the new mount, owners, modes and times kept (tmpcopyup) */
      copyUp?: boolean
      fallback?: StepFallback
    } & StepPlacement)
  | ({kind: 'umount'; name: string; path: string; flags?: number} & StepPlacement)
  | ({kind: 'umount_detach'; name: string; path: string} & StepPlacement)
  | {kind: 'mkdir'; name: string; path: string; mode: number}
  | ({kind: 'mkdirp'; name: string; path: string; mode: number} & StepPlacement)
  | ({kind: 'touch'; name: string; path: string; mode: number} & StepPlacement)
  | {kind: 'mknod'; name: string; path: string; mode: number; dev: number}
  | {kind: 'setxattr'; name: string; path: string; fstype: string; source: string}
  | ({kind: 'symlink'; name: string; source: string; path: string} & StepPlacement)
  | {kind: 'chdir'; name: string; path: string}
  | {kind: 'pivot_root'; name: string; path: string; source: string}
  | {kind: 'sethostname'; name: string; path: string}
  /** 'keep' skips setgroups(2) entirely: the process keeps the caller's supplementary groups */
  | {kind: 'setgroups'; name: string; groups: number[] | 'keep'}
  | {kind: 'setresgid'; name: string; id: number}
  /** also sets PR_SET_KEEPCAPS, so that a following caps step still has the permitted set */
  | {kind: 'setresuid'; name: string; id: number}
  | {kind: 'umask'; name: string; mode: number}
  /** soft/hard: Infinity is RLIM_INFINITY */
  | {kind: 'rlimit'; name: string; resource: number; soft: number; hard: number}
  /** capability numbers; the bounding set drops every capability not listed */
  | {
      kind: 'caps'
      name: string
      bounding: number[]
      effective: number[]
      permitted: number[]
      inheritable: number[]
      ambient: number[]
    }
  | {kind: 'no_new_privs'; name: string}
  | {kind: 'setsid'; name: string}
  /** rows/cols: the pty's window size, set on it before the program starts (0: left as the kernel makes it) */
  | {kind: 'console'; name: string; rows?: number; cols?: number}
  /** brings the `lo` interface of the child's network namespace up (IFF_UP), as crun does for a new one */
  | {kind: 'loopback_up'; name: string}
  /** seccomp(SECCOMP_SET_MODE_FILTER, flags, filter): a program from compileSeccomp */
  | {kind: 'seccomp'; name: string; filter: Buffer; flags: number}
  /** wait for one more byte from the parent (see SpawnOptions.besideSteps); dumpable until then */
  | {kind: 'wait_release'; name: string}
  /** `init`: the steps before it done, send 'h' and wait for one more byte (`start`) before the program */
  | {kind: 'hold'; name: string}
  /**
   * unshare a user namespace below the child's, with these maps (lines "inside outside size", in
   * the child's namespace ids), written by a helper the child leaves behind in its own namespace
   */
  | {kind: 'nest_userns'; name: string; source: string; data: string}
  /** write data to the file at path, which must exist (a sysctl under /proc/sys) */
  | ({kind: 'write'; name: string; path: string; data: string} & StepPlacement)

/** The OCI runtime spec's linux.seccomp, as compileSeccomp reads it (action, operator and arch names as in the spec). */
export interface SeccompSection {
  defaultAction: string
  defaultErrnoRet?: number
  architectures?: string[]
  syscalls?: {names: string[]; action: string; errnoRet?: number; args?: {index: number; value: number; valueTwo?: number; op: string}[]}[]
}

export type StdioSpec = 'inherit' | 'pipe' | number

/** The namespaces of a running process to enter instead of creating new ones, or namespace files by path. */
export type JoinTarget = {pid: number; namespaces: NamespaceName[]} | {paths: {namespace: NamespaceName; path: string}[]}

export interface NativeSpawnOptions {
  namespaces: NamespaceName[]
  /**
   * setns() into /proc/<pid>/ns/* (opened before clone; user first, mount last) before the
   * steps; with 'pid' the child forks once more and the returned pid is the intermediate
   * process, which forwards signals to the program and exits like it. With `paths`, `namespaces`
   * are unshared once joined (a new pid namespace through that fork).
   */
  join?: JoinTarget
  steps: ChildStep[]
  file?: string
  /** the exec helper's path (EXEC_HELPER_BINARY), required with `file`; read once a process */
  execHelper?: string
  argv: string[]
  env: string[]
  cwd?: string
  stdio: [StdioSpec, StdioSpec, StdioSpec]
  waitForRelease: boolean
  /** a console socket: a `console` step sends the pty master over it */
  console?: boolean
  dieWithParent: boolean
  /** --preserve-fds: fds 3 .. 3+N-1 of this process stay open into the program; none of the child's own fds may have one of these numbers (EBADF) */
  preserveFds?: number
}

export interface NativeSpawnResult {
  pid: number
  syncFd: number
  /** the parent end of the console socket, or -1 */
  consoleFd: number
  stdio: [number, number, number]
}

export interface NativeExit {
  code: number | null
  signal: number | null
}

export interface NativeConstants {
  MS_RDONLY: number; MS_NOSUID: number; MS_NODEV: number; MS_NOEXEC: number; MS_REMOUNT: number
  MS_BIND: number; MS_MOVE: number; MS_REC: number; MS_PRIVATE: number; MS_SLAVE: number
  MS_SHARED: number; MS_STRICTATIME: number; MS_RELATIME: number; MS_NOATIME: number
  MNT_DETACH: number; S_IFCHR: number; S_IFBLK: number; S_IFIFO: number
}

interface Addon {
  spawn(options: NativeSpawnOptions): NativeSpawnResult
  waitPid(pid: number): Promise<NativeExit>
  receiveFd(socket: number): number
  /** Run short programs to completion, all at once (stdin and stdout /dev/null, stderr captured); SIGKILL after timeoutMs; their results in order. */
  runPrograms(programs: {file: string; argv: string[]}[], timeoutMs: number): ProgramResult[]
  setWinsize(fd: number, rows: number, cols: number): void
  /** The OCI linux.seccomp section as a BPF program (struct sock_filter[]), compiled by libseccomp. */
  compileSeccomp(section: SeccompSection): Buffer
  /** flock(fd, LOCK_NB): true once held (or released), false while another open file description holds a conflicting lock */
  tryLock(fd: number, mode: 'shared' | 'exclusive' | 'unlock'): boolean
  /** fcntl(fd, F_OFD_SETLK) over the whole file (containers/storage's lock files): true once held (or released), false while another holder has a conflicting lock */
  tryRecordLock(fd: number, mode: 'shared' | 'exclusive' | 'unlock'): boolean
  getxattr(path: string, name: string): Buffer | null
  setxattr(path: string, name: string, value: Buffer | string): void
  mknod(path: string, mode: number, dev: number): void
  /** sendto an AF_UNIX SOCK_DGRAM socket: a path, or '@name' in the abstract namespace (sd_notify's $NOTIFY_SOCKET) */
  sendDatagram(socketPath: string, message: Buffer | string): void
  constants: NativeConstants
}

export interface ProgramResult {
  code: number | null
  signal: number | null
  stderr: string
  timedOut: boolean
}

/** Size of `struct tspod_report` in native/src/child.h: int err; char step[64]; char detail[448]. */
export const REPORT_SIZE = 4 + 64 + 448

let addon: Addon | undefined

export function native(): Addon {
  if (!addon) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = require('node-gyp-build') as (dir: string) => Addon
    addon = load(PACKAGE_ROOT)
  }
  return addon
}
