// The JavaScript half of tspod's namespace primitive: a child cloned by native code into new
// namespaces, given its id maps from here, then running mount steps and/or one program. In join
// mode the child enters the namespaces of a running process instead (`tspod exec`).
//
// Protocol over the sync socket (see native/src/child.h): a held child sends the byte 'r' once
// its id maps may be written (it is dumpable from then on), waits for one byte (sent once the id
// maps are written), runs its steps, and execs. A failing step sends one
// `struct tspod_report` and exits; a successful exec closes the socket (close-on-exec), so the
// parent reads EOF with no report. In join mode there is no release byte: the child runs at once.
// With besideSteps the child gets a second byte, read by a wait_release step (see withWaitStep):
// the parent sets up what joins the child's namespaces (slirp4netns) while the steps before it run.
import * as net from 'node:net'
import * as fs from 'node:fs'
import {Readable, Writable} from 'node:stream'
import * as util from 'node:util'

import {TspodError, errorOfClass, wrap} from '../errors'
import {ChildStep, EXEC_HELPER_BINARY, JoinTarget, NamespaceName, NativeSpawnResult, REPORT_SIZE, StdioSpec, native} from '../native'
import {startFailureClass} from '../runtime/failure-class'
import {UserNamespaceMapping, applyUserNamespaceMapping} from './idmap'
import {tracePhase} from '../trace'

export interface Command {
  /** program to execute; without a slash it is looked up in the child's own PATH */
  file: string
  argv: string[]
  env: string[]
  cwd?: string
}

export interface SpawnOptions {
  /** the new namespaces to create; with a join by pid none, with a join by paths made once joined */
  namespaces: NamespaceName[]
  /**
   * Enter the namespaces of process `join.pid` instead (in the order user, ipc, uts, net, pid,
   * cgroup, mount, whatever the order given): no id mapping is written, the steps and the program
   * run in them. With 'pid' the child forks once more (setns only moves children into a pid
   * namespace): the returned `pid` is then the intermediate process outside the namespace, which
   * forwards the signals it gets to the program and exits with its code or by its signal.
   */
  join?: JoinTarget
  /** required when namespaces include 'user' */
  mapping?: UserNamespaceMapping
  steps?: ChildStep[]
  /** without a command the child exits 0 after its steps */
  command?: Command
  stdio?: [StdioSpec, StdioSpec, StdioSpec]
  /** SIGKILL the child if the spawning thread dies (default true) */
  dieWithParent?: boolean
  /** a console socket for a `console` step (a terminal for the container) */
  console?: boolean
  /** --preserve-fds: this process's fds 3 .. 3+N-1, passed to it by its caller, stay open into the program */
  preserveFds?: number
  /** never reap the child here (a holder that outlives this process): `exited` then never settles */
  noReap?: boolean
  /**
   * Runs once the id maps are written and before the child is released to run its steps:
   * what the steps need set up from outside (fuse-overlayfs mounting the rootfs). Not with `join`.
   */
  beforeRelease?: (pid: number) => Promise<void>
  /**
   * Runs once the child is released, while it runs its steps: what joins the child's namespaces
   * through /proc/<pid>/ns without changing what the steps do (slirp4netns). The child waits for
   * it before its first step that changes its credentials (the last it can be joined before), or
   * before its program. Not with `join`.
   */
  besideSteps?: (pid: number) => Promise<void>
  /**
   * `init`: the child runs every step, then waits before its program until release() (`start`);
   * `holding` tells when it waits there.
   */
  hold?: boolean
}

export interface ChildExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface NamespacedChild {
  pid: number
  stdin?: Writable
  stdout?: Readable
  stderr?: Readable
  /** resolves once the program is running (or the steps are done); rejects with the failing step */
  started: Promise<void>
  /** the exit status; rejects with the failing step's error when the child failed before exec */
  exited: Promise<ChildExit>
  /** the pty master of a `console` step, once `started` has resolved */
  consoleMaster(): number
  /** with `hold`: resolves once every step is done and the child waits; rejects with the failing step */
  holding?: Promise<void>
  /** with `hold`: let the held child run its program */
  release?(): void
}

interface ChildReport {
  errno: number
  step: string
  detail: string
}

function readCString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length)
  const end = slice.indexOf(0)
  return slice.subarray(0, end < 0 ? slice.length : end).toString('utf8')
}

function parseReport(buf: Buffer): ChildReport | undefined {
  if (buf.length < REPORT_SIZE) return undefined
  return {errno: buf.readInt32LE(0), step: readCString(buf, 4, 64), detail: readCString(buf, 68, 448)}
}

function strerror(errno: number): {code: string; message: string} {
  const [code, message] = util.getSystemErrorMap().get(-errno) ?? [`E${errno}`, `errno ${errno}`]
  return {code, message: message.charAt(0).toUpperCase() + message.slice(1)}
}

/** What the child says about a step it could not do, in crun's words where crun has them. */
function reportMessage(report: ChildReport, code: string, message: string): string {
  // the program exists but execve found no ELF interpreter (or #! interpreter) for it
  if (report.step === 'exec-interpreter') return `exec container process (missing dynamic library?) \`${report.detail}\`: ${message}`
  // Podman checks a --workdir before the runtime runs, in these words
  if (report.step === 'chdir' && code === 'ENOENT') return `workdir ${JSON.stringify(report.detail)} does not exist on container`
  if (report.step === 'chdir') return `chdir to \`${report.detail}\`: ${message}`
  if (report.step === 'chdir-magic-link')
    return `chdir to \`${report.detail}\`: the working directory goes through a /proc magic link (such as /proc/self/fd/N), which can lead out of the container: refused`
  if (report.step === 'chdir-outside-root') return `chdir to \`${report.detail}\`: the working directory is outside the container's root: refused`
  if (report.step === 'setns') return `setns \`${report.detail}\`: ${message}`
  if (report.step === 'exec') {
    const file = report.detail
    if (code === 'ENOENT' || code === 'ENOTDIR') return `executable file \`${file}\` not found${file.includes('/') ? '' : ' in $PATH'}: ${message}`
    if (code === 'EACCES' || code === 'EPERM') return `exec \`${file}\`: permission denied`
    return `exec \`${file}\`: ${message}`
  }
  return `${report.step}: ${message}`
}

/** The error for a step the child could not do, of the class its facts give (failure-class.ts). */
export function errorFromReport(report: ChildReport): TspodError {
  const {code, message} = strerror(report.errno)
  const details = {code, errno: -report.errno, syscall: report.step, path: report.detail}
  return errorOfClass(startFailureClass({step: report.step, code}), reportMessage(report, code, message), details)
}

function signalName(signal: number | null): NodeJS.Signals | null {
  if (signal === null) return null
  const entry = Object.entries(require('node:os').constants.signals as Record<string, number>).find(
    ([, n]) => n === signal,
  )
  return (entry?.[0] as NodeJS.Signals) ?? null
}

interface SyncReader {
  /** resolves true on the held child's ready byte, false when the socket ends without it */
  ready: Promise<boolean>
  /** resolves true on a hold step's byte, false when the socket ends without it */
  holding: Promise<boolean>
  /** everything after the ready byte (a held child) or all of it, once the socket ends */
  report: Promise<Buffer>
}

function readSyncSocket(socket: net.Socket, held: boolean, hold: boolean): SyncReader {
  let chunks: Buffer[] = []
  let resolveReady: (ready: boolean) => void = () => undefined
  const ready = new Promise<boolean>((resolve) => (resolveReady = resolve))
  let resolveHolding: (holding: boolean) => void = () => undefined
  const holding = new Promise<boolean>((resolve) => (resolveHolding = resolve))
  let awaitingReady = held
  let awaitingHold = hold
  if (!held) resolveReady(false)
  if (!hold) resolveHolding(false)
  const report = new Promise<Buffer>((resolve) => {
    socket.on('data', (c: Buffer) => {
      if (awaitingReady && c.length > 0) {
        awaitingReady = false
        resolveReady(true)
        c = c.subarray(1)
      }
      // the hold step's byte comes alone; a failing step's report is one write of REPORT_SIZE bytes
      if (!awaitingReady && awaitingHold && c.length > 0 && c.length < REPORT_SIZE && c[0] === 'h'.charCodeAt(0)) {
        awaitingHold = false
        resolveHolding(true)
        c = c.subarray(1)
      }
      chunks.push(c)
    })
    const end = () => {
      resolveReady(false)
      resolveHolding(false)
      resolve(Buffer.concat(chunks))
      chunks = []
    }
    socket.on('error', end)
    socket.on('close', end)
  })
  return {ready, holding, report}
}

function wrapStdio(fds: [number, number, number]): Pick<NamespacedChild, 'stdin' | 'stdout' | 'stderr'> {
  return {
    stdin: fds[0] >= 0 ? fs.createWriteStream('', {fd: fds[0]}) : undefined,
    stdout: fds[1] >= 0 ? new net.Socket({fd: fds[1], readable: true, writable: false}) : undefined,
    stderr: fds[2] >= 0 ? new net.Socket({fd: fds[2], readable: true, writable: false}) : undefined,
  }
}

function joinName(join: JoinTarget): string {
  return 'pid' in join ? `process ${join.pid}` : join.paths.map((p) => p.path).join(', ')
}

/** Steps that change the child's credentials: it is no longer dumpable (joinable) after the first. */
const CREDENTIAL_STEPS = new Set<ChildStep['kind']>(['nest_userns', 'setgroups', 'setresgid', 'setresuid', 'caps', 'no_new_privs', 'seccomp'])

/** The steps with a wait_release step before the first credential step (never inside a fallback group), or last. */
export function withWaitStep(steps: ChildStep[]): ChildStep[] {
  let at = steps.findIndex((s) => CREDENTIAL_STEPS.has(s.kind))
  if (at < 0) at = steps.length
  for (let i = 0; i < at; i++) {
    const fallback = 'fallback' in steps[i] ? (steps[i] as {fallback?: {steps: number}}).fallback : undefined
    if (fallback && i + fallback.steps >= at) {
      at = i
      break
    }
  }
  return [...steps.slice(0, at), {kind: 'wait_release', name: 'wait for the network'}, ...steps.slice(at)]
}

function checkJoin(options: SpawnOptions, join: JoinTarget): void {
  if ('pid' in join) {
    if (!Number.isSafeInteger(join.pid) || join.pid <= 0) throw new TspodError(`cannot join the namespaces of pid ${join.pid}`)
    if (options.namespaces.length > 0)
      throw new TspodError(`cannot create ${options.namespaces.join(', ')} namespaces while joining those of process ${join.pid}`)
  } else if (options.namespaces.includes('user') || (!join.paths.some((p) => p.namespace === 'user') && process.geteuid?.() !== 0)) {
    // (real root joins namespaces of its own user namespace without entering one)
    throw new TspodError(`joining ${joinName(join)} takes the user namespace that owns them, joined first`)
  }
  if (options.beforeRelease || options.besideSteps) throw new TspodError('a child joining namespaces is never held before release')
}

export async function spawnInNamespaces(options: SpawnOptions): Promise<NamespacedChild> {
  const join = options.join
  if (join) checkJoin(options, join)
  const withUserNs = options.namespaces.includes('user') && !join
  // the child waits for its id maps, and for what beforeRelease and besideSteps set up
  const held = withUserNs || options.beforeRelease !== undefined || options.besideSteps !== undefined
  if (withUserNs && !options.mapping) throw new TspodError('a user namespace needs an id mapping')
  const command = options.command
  let steps = options.besideSteps ? withWaitStep(options.steps ?? []) : options.steps ?? []
  if (options.hold) steps = [...steps, {kind: 'hold', name: 'wait for start'}]
  let spawned: NativeSpawnResult
  try {
    spawned = native().spawn({
      namespaces: options.namespaces,
      join,
      steps,
      file: command?.file,
      execHelper: command ? EXEC_HELPER_BINARY : undefined,
      argv: command?.argv ?? [],
      env: command?.env ?? [],
      cwd: command?.cwd,
      stdio: options.stdio ?? ['inherit', 'inherit', 'inherit'],
      waitForRelease: held,
      dieWithParent: options.dieWithParent ?? true,
      console: options.console ?? false,
      preserveFds: options.preserveFds ?? 0,
    })
  } catch (err) {
    if (join) throw wrap(err, `joining the namespaces of ${joinName(join)}`)
    throw wrap(err, `creating ${options.namespaces.join(', ') || 'a child'} namespaces`)
  }
  tracePhase('namespaces')
  const sync = new net.Socket({fd: spawned.syncFd, readable: true, writable: true})
  const hold = options.hold ?? false
  const {ready, holding, report: reportBytes} = readSyncSocket(sync, held, hold)
  const exitStatus = options.noReap ? new Promise<never>(() => undefined) : native().waitPid(spawned.pid)

  if (held) {
    try {
      if (!(await ready)) throw new TspodError(`the child ${spawned.pid} ended before its namespaces could be set up`)
      if (withUserNs) await applyUserNamespaceMapping(spawned.pid, options.mapping!)
      tracePhase('id maps')
      await options.beforeRelease?.(spawned.pid)
      if (options.besideSteps) {
        // written on the fd: a child already gone must not cost the socket its unread report
        fs.writeSync(spawned.syncFd, '1')
        await options.besideSteps(spawned.pid)
        fs.writeSync(spawned.syncFd, '2')
      }
      tracePhase('network')
    } catch (err) {
      // The child never gets its (last) release byte, but it holds a copy of our end of the
      // socket (cloned, not exec'd), so it would never see EOF either: end it. With besideSteps
      // the socket is read to its end first: a step that failed meanwhile is the cause of what
      // failed beside it (once the child is gone, nothing else holds its end).
      if (!options.besideSteps) sync.destroy()
      try {
        process.kill(spawned.pid, 'SIGKILL')
      } catch {
        // gone already
      }
      await exitStatus.catch(() => undefined)
      const report = options.besideSteps ? parseReport(await reportBytes) : undefined
      sync.destroy()
      throw report ? errorFromReport(report) : err
    }
    // a held-for-start child still reads its last byte from the socket: it stays open
    if (!options.besideSteps) fs.writeSync(spawned.syncFd, '1')
    if (!hold) sync.end()
  }

  const started = reportBytes.then((bytes) => {
    const report = parseReport(bytes)
    if (report) throw errorFromReport(report)
    tracePhase('mounts and exec')
  })
  started.catch(() => undefined) // callers may only await `exited`
  const exited = Promise.all([started, exitStatus]).then(([, status]) => ({
    code: status.code,
    signal: signalName(status.signal),
  }))
  const consoleMaster = (): number => {
    if (spawned.consoleFd < 0) throw new TspodError('the child has no console socket')
    try {
      return native().receiveFd(spawned.consoleFd)
    } catch (err) {
      throw wrap(err, 'receiving the container terminal')
    } finally {
      fs.closeSync(spawned.consoleFd)
    }
  }
  const child: NamespacedChild = {pid: spawned.pid, ...wrapStdio(spawned.stdio), started, exited, consoleMaster}
  if (hold) {
    child.holding = holding.then(async (isHolding) => {
      if (isHolding) return
      await started
      throw new TspodError(`the child ${spawned.pid} ended before it was ready to start`)
    })
    child.holding.catch(() => undefined)
    exited.catch(() => undefined) // a caller told by `holding` of a failure need not await it too
    child.release = () => {
      try {
        fs.writeSync(spawned.syncFd, '1')
      } catch {
        // the child is gone: `exited` tells how
      }
      sync.end()
    }
  }
  return child
}
