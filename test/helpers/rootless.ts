// Run commands as the rootless test users that .ci/setup-host.sh creates. The suite itself runs
// as root; rootless behaviour is always exercised by a real non-root user, never simulated.
import {ChildProcessWithoutNullStreams, StdioPipe, spawn, execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

export const REPO = path.resolve(__dirname, '..', '..', '..')
export const TSPOD_BIN = path.join(REPO, 'bin', 'run.js')

/** The main rootless user: subuid/subgid ranges and the supplementary group `tspodstor`. */
export const TEST_USER = 'tspoduser'
/** A user without subordinate ranges (single-mapping fallback). */
export const NOSUB_USER = 'tspodnosub'
export const SUPP_GROUP = 'tspodstor'

export interface TestUser {
  name: string
  uid: number
  gid: number
  home: string
}

export function lookupUser(name: string): TestUser {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))
  if (!line) throw new Error(`test user ${name} is missing: run "bash .ci/setup-host.sh" as root first`)
  const [, , uid, gid, , home] = line.split(':')
  return {name, uid: Number(uid), gid: Number(gid), home}
}

export function groupId(name: string): number {
  const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))
  if (!line) throw new Error(`group ${name} is missing: run "bash .ci/setup-host.sh" as root first`)
  return Number(line.split(':')[2])
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  /** extra environment, on top of the clean login-like one */
  env?: Record<string, string | undefined>
  input?: string | Buffer
  cwd?: string
  timeoutMs?: number
  /** fds of this process the command inherits as its fd 3, 4, ... (what a caller may leak to tspod) */
  extraFds?: number[]
}

/** A clean environment for `user`, like a login: HOME, USER, PATH, XDG_RUNTIME_DIR. */
export function userEnv(user: TestUser, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
    PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    XDG_RUNTIME_DIR: `/run/user/${user.uid}`,
    LANG: 'C.UTF-8',
    ...extra,
  }
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
}

/** Run argv as `user` (real uid/gid and supplementary groups of that user, via setpriv). */
export function runAs(user: TestUser, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const setpriv = ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--']
  const env = user.uid === 0 ? {...process.env, ...opts.env} : userEnv(user, opts.env)
  const [file, args] = user.uid === 0 ? [argv[0], argv.slice(1)] : ['setpriv', [...setpriv, ...argv]]
  return new Promise((resolve, reject) => {
    const stdio: StdioPipe[] = ['pipe', 'pipe', 'pipe']
    const child = spawn(file, args, {env, cwd: opts.cwd ?? '/', stdio: [...stdio, ...(opts.extraFds ?? [])]}) as ChildProcessWithoutNullStreams
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stdout, stderr})
    })
    child.stdin.on('error', () => undefined) // a child that exits before reading its input
    child.stdin.end(opts.input ?? '')
  })
}

/** A fresh dir owned by `user` (mode 0700), removed by the caller or left in the OS temp dir. */
export function userTempDir(user: TestUser, prefix = 'tspod-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.chownSync(dir, user.uid, user.gid)
  fs.chmodSync(dir, 0o700)
  return dir
}

/**
 * Remove a user's temp dir, including files owned by its subordinate ids (we are root).
 * A detached container's monitor runs its cleanup step after `rm -f` has returned, and that step
 * may still be writing into the store; wait (bounded) for every process that names the dir in its
 * command line or environment, so the removal does not race with it.
 */
export function removeTree(dir: string): void {
  const deadline = Date.now() + 15_000
  while (processesUsing(dir).length > 0 && Date.now() < deadline) sleepSync(50)
  try {
    execFileSync('rm', ['-rf', '--one-file-system', dir], {stdio: ['ignore', 'ignore', 'pipe']})
  } catch {
    sleepSync(500)
    execFileSync('rm', ['-rf', '--one-file-system', dir])
  }
}

/** Pids (other than ours) whose command line or environment mentions `dir`. */
/** /proc/<pid>/uid_map or gid_map lines as [inside, outside, size] */
export function idMapLines(text: string): number[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
}

export function processesUsing(dir: string): number[] {
  const pids: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    for (const file of ['cmdline', 'environ']) {
      try {
        if (fs.readFileSync(`/proc/${pid}/${file}`, 'latin1').includes(dir)) {
          pids.push(pid)
          break
        }
      } catch {
        // gone, or a kernel thread
      }
    }
  }
  return pids
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

export interface Sandbox {
  user: TestUser
  dir: string
  /** env that gives tspod a private store and config under dir */
  env: Record<string, string>
}

/** A private tspod world for one test: its own XDG data/config dirs, owned by the user. */
export function sandbox(user: TestUser): Sandbox {
  const dir = userTempDir(user)
  const env = {XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config')}
  return {user, dir, env}
}

/** Run the built tspod CLI as the sandbox's user. */
export function tspod(box: Sandbox, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runAs(box.user, [process.execPath, '--', TSPOD_BIN, ...args], {...opts, env: {...box.env, ...opts.env}})
}

/** Run tspod as the sandbox's user and require exit 0; its failure is thrown with the command line and its output. */
export async function tspodOkResult(box: Sandbox, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await tspod(box, args, opts)
  if (r.code !== 0) throw new Error(`tspod ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`)
  return r
}

/** tspod's stdout, requiring exit 0 (see tspodOkResult). */
export async function tspodOk(box: Sandbox, args: string[], opts: RunOptions = {}): Promise<string> {
  return (await tspodOkResult(box, args, opts)).stdout
}

/** tspod's exit code and stderr, for comparing a refusal whole: `[125, 'Error: ...\n']`. */
export async function tspodExitAndStderr(box: Sandbox, args: string[], opts: RunOptions = {}): Promise<[number, string]> {
  const r = await tspod(box, args, opts)
  return [r.code ?? -1, r.stderr]
}
