// The only module that loads tspod's addon (native/). It is loaded on first use, never at import.
import * as path from 'node:path'

export type NamespaceName = 'user' | 'mount' | 'pid' | 'uts' | 'ipc' | 'net' | 'cgroup'

export type ChildStep =
  | {kind: 'mount'; name: string; source: string; path: string; fstype?: string; flags?: number; data?: string}
  | {kind: 'umount'; name: string; path: string; flags?: number}
  | {kind: 'mkdir'; name: string; path: string; mode: number}
  | {kind: 'mknod'; name: string; path: string; mode: number; dev: number}
  | {kind: 'setxattr'; name: string; path: string; fstype: string; source: string}
  | {kind: 'symlink'; name: string; source: string; path: string}
  | {kind: 'chdir'; name: string; path: string}
  | {kind: 'pivot_root'; name: string; path: string; source: string}
  | {kind: 'sethostname'; name: string; path: string}

export type StdioSpec = 'inherit' | 'pipe' | number

export interface NativeSpawnOptions {
  namespaces: NamespaceName[]
  steps: ChildStep[]
  file?: string
  argv: string[]
  env: string[]
  cwd?: string
  stdio: [StdioSpec, StdioSpec, StdioSpec]
  waitForRelease: boolean
  dieWithParent: boolean
}

export interface NativeSpawnResult {
  pid: number
  syncFd: number
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
  getxattr(path: string, name: string): Buffer | null
  setxattr(path: string, name: string, value: Buffer | string): void
  mknod(path: string, mode: number, dev: number): void
  constants: NativeConstants
}

/** Size of `struct tspod_report` in native/src/child.h: int err; char step[64]; char detail[448]. */
export const REPORT_SIZE = 4 + 64 + 448

let addon: Addon | undefined

export function native(): Addon {
  if (!addon) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = require('node-gyp-build') as (dir: string) => Addon
    addon = load(path.resolve(__dirname, '..', '..'))
  }
  return addon
}
