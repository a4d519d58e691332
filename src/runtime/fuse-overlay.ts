// The container's rootfs through fuse-overlayfs, for storage.conf's mount_program (Podman:
// "native overlay; fuse-overlayfs when native overlay is not possible").
//
// Run as Podman runs it, fuse-overlayfs would mount from inside the container's mount namespace
// and, living there, keep that namespace (and so its own mount) alive after the container has
// ended: someone would have to end it, and a detached container has nobody left to. So the
// mount and its server are split, the way libfuse itself splits them with fusermount3:
//
//  1. fusermount3 joins the held child's user and mount namespaces, opens /dev/fuse there and
//     mounts it on the merged dir, and sends the /dev/fuse descriptor back over _FUSE_COMMFD;
//  2. fuse-overlayfs serves that descriptor (`/dev/fd/0`, which libfuse takes as an already
//     mounted session) from the held child's user namespace only, outside its mount namespace.
//
// Once the container's last process has ended, its mount namespace goes, the kernel drops the
// mount and aborts the FUSE connection, and fuse-overlayfs exits by itself: after `run --rm`,
// `stop`, a container that ends on its own, a killed tspod or a killed monitor alike.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'

import {TspodError} from '../errors'
import {native} from '../native'
import type {StorageConfig} from '../storage/config/storage-conf'
import {fuseOverlayOptions} from '../storage/store/driver/overlay'
import {ChildExit, NamespacedChild, spawnInNamespaces} from '../userns/spawn'
import {USUAL_BIN_DIRS, findInPath, isExecutableFile} from './executables'
import type {RootfsLayout} from './plan'
import {stepName} from './rootfs-mount'

/**
 * What fuse-overlayfs asks for when it mounts as root (its get_new_args), which fusermount3 now
 * does for it, plus the names that make the mount read `fuse-overlayfs … fuse.fuse-overlayfs` in
 * mountinfo, as Podman's fuse-overlayfs rootfs does.
 */
const FUSE_MOUNT_OPTIONS = 'default_permissions,allow_other,suid,noatime,fsname=fuse-overlayfs,subtype=fuse-overlayfs'

/** fuse-overlayfs's output (it only writes errors): its name in the container's bundle dir. */
export const FUSE_OVERLAY_LOG = 'fuse-overlayfs.log'

/** sockaddr_un.sun_path holds 108 bytes with the NUL. */
const SUN_PATH_MAX = 107

/** How long fuse-overlayfs may take to exit once the container has ended, before it is killed. */
const EXIT_GRACE_MS = 5000

export interface FuseOverlayConfig {
  /** storage.conf's mount_program: a fuse-overlayfs (libfuse 3.3 or later: it must take `/dev/fd/N` as its mountpoint) */
  program: string
  /** storage.conf's mountopt, handed on to the program as containers-storage does (without metacopy=on) */
  mountOptions?: string
  /** a private dir with a short path where a short-lived socket may be made (the run root) */
  socketDir: string
}

/** The store's mount_program, if storage.conf sets one: then every container's rootfs is fuse-overlayfs. */
export function fuseOverlayConfig(config: StorageConfig): FuseOverlayConfig | undefined {
  const program = config.overlay.mountProgram
  if (!program || config.driver !== 'overlay') return undefined
  return {program, mountOptions: config.overlay.mountOpt, socketDir: config.runRoot}
}

export interface FuseOverlayStart extends FuseOverlayConfig {
  layout: RootfsLayout
  /** the held child: the mount goes into its mount namespace */
  pid: number
  /** the held child has a user namespace of its own (rootless): the mount and the server join it */
  userNamespace: boolean
  /** fuse-overlayfs's output (it only writes errors), truncated first */
  logFile: string
  /** SIGKILL fuse-overlayfs if this process dies (default true); false for a detached container */
  dieWithParent?: boolean
}

export interface FuseOverlayMount {
  /** the fuse-overlayfs process, serving the mount from outside the container's mount namespace */
  pid: number
  /** its exit: by itself, once the container's mount namespace is gone */
  exited: Promise<ChildExit>
  /** once the container has ended: wait for that exit, and SIGKILL it if it lingers */
  finished(): Promise<void>
}

/** The program's own options: `-o` text as libfuse splits it (`\` escapes `,` and itself). */
/** The first of `names` found as an executable in PATH, then in the usual bin dirs. */
export function findProgram(names: string[], envPath = process.env.PATH ?? ''): string | undefined {
  return findInPath(names, envPath, USUAL_BIN_DIRS)
}

function checkProgram(program: string): void {
  if (!path.isAbsolute(program)) throw new TspodError(`mount_program "${program}" must be an absolute path`)
  if (!isExecutableFile(program)) throw new TspodError(`mount_program "${program}": no executable file there`, {path: program})
}

function socketFd(socket: net.Socket): number {
  const fd = (socket as unknown as {_handle?: {fd?: unknown}})._handle?.fd
  if (typeof fd !== 'number' || fd < 0) throw new TspodError('cannot get the file descriptor of a unix socket')
  return fd
}

/**
 * A connected pair of unix sockets: one end for fusermount3 (its _FUSE_COMMFD), the other read
 * here with the addon's recvmsg (libuv must never read it: a plain read() drops a descriptor).
 */
async function descriptorChannel(dir: string): Promise<{childEnd: number; receive(): number; close(): void}> {
  const file = path.join(dir, `fuse-${crypto.randomBytes(6).toString('hex')}.sock`)
  if (Buffer.byteLength(file) > SUN_PATH_MAX) throw new TspodError(`socket path \`${file}\` is too long for a unix socket: choose a shorter run root`)
  const server = net.createServer({pauseOnConnect: true})
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new TspodError(`listening on \`${file}\`: ${err.message}`, {path: file, cause: err})))
      server.listen(file, () => resolve())
    })
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
    const client = net.connect(file)
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve())
      client.once('error', (err) => reject(new TspodError(`connecting to \`${file}\`: ${err.message}`, {path: file, cause: err})))
    })
    client.pause()
    const peer = await accepted
    return {
      childEnd: socketFd(client),
      receive: () => native().receiveFd(socketFd(peer)),
      close() {
        client.destroy()
        peer.destroy()
      },
    }
  } finally {
    server.close()
    fs.rmSync(file, {force: true})
  }
}

function collect(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return Promise.resolve('')
  return new Promise((resolve) => {
    let text = ''
    stream.on('data', (d: Buffer) => (text += d))
    stream.on('error', () => resolve(text))
    stream.on('end', () => resolve(text))
    stream.on('close', () => resolve(text))
  })
}

function exitText(exit: ChildExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`
}

/** fusermount3 in the held child's namespaces: the mount, and its /dev/fuse descriptor back. */
async function mountFuse(o: FuseOverlayStart, merged: string): Promise<number> {
  const fusermount = findProgram(['fusermount3', 'fusermount'])
  if (!fusermount) throw new TspodError(`creating overlay mount to \`${merged}\`: mount_program "${o.program}" needs fusermount3, found nowhere in $PATH (install fuse3)`)
  const channel = await descriptorChannel(o.socketDir)
  try {
    const child = await spawnInNamespaces({
      namespaces: [],
      join: {pid: o.pid, namespaces: o.userNamespace ? ['user', 'mount'] : ['mount']},
      command: {file: fusermount, argv: [fusermount, '-o', FUSE_MOUNT_OPTIONS, '--', merged], env: ['_FUSE_COMMFD=0', `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`]},
      stdio: [channel.childEnd, 'pipe', 'pipe'],
    })
    const [stdout, stderr] = await Promise.all([collect(child.stdout), collect(child.stderr)])
    const exit = await child.exited
    if (exit.code !== 0) {
      const said = (stderr || stdout).trim().replace(/\s*\n\s*/g, '; ') || '<stderr empty>'
      throw new TspodError(`creating overlay mount to \`${merged}\`: ${said}: ${exitText(exit)}`, {path: merged})
    }
    try {
      return channel.receive()
    } catch (err) {
      throw new TspodError(`creating overlay mount to \`${merged}\`: ${fusermount} sent no /dev/fuse descriptor: ${(err as Error).message}`, {path: merged, cause: err})
    }
  } finally {
    channel.close()
  }
}

/** What fuse-overlayfs wrote, without the warning it gives on every start as root. */
function programOutput(logFile: string): string {
  let text = ''
  try {
    text = fs.readFileSync(logFile, 'utf8')
  } catch {
    // never written
  }
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'unknown argument ignored: lazytime')
  return lines.join('; ')
}

/** A process in the held child's namespaces enters the mount: it answers once fuse-overlayfs serves it. */
async function reachMount(o: FuseOverlayStart, merged: string): Promise<void> {
  const probe = await spawnInNamespaces({
    namespaces: [],
    join: {pid: o.pid, namespaces: o.userNamespace ? ['user', 'mount'] : ['mount']},
    steps: [{kind: 'chdir', name: stepName(`reach the fuse-overlayfs mount \`${merged}\``), path: merged}],
  })
  const exit = await probe.exited
  if (exit.code !== 0) throw new TspodError(`reaching the fuse-overlayfs mount \`${merged}\`: ${exitText(exit)}`, {path: merged})
}

/**
 * Mount the rootfs with fuse-overlayfs into the held child's mount namespace (its beforeRelease
 * step) and serve it; the child's plan then skips the overlay step (layout.mountedBy).
 */
export async function mountFuseOverlay(o: FuseOverlayStart): Promise<FuseOverlayMount> {
  const merged = path.resolve(o.layout.mergedDir)
  checkProgram(o.program)
  const options = fuseOverlayOptions(o.layout, o.mountOptions)
  const failure = (what: string, cause?: unknown) =>
    new TspodError(`creating overlay mount to \`${merged}\`: using mount program ${o.program}: ${what}`, {path: merged, cause})

  const fuseFd = await mountFuse(o, merged)
  let server: NamespacedChild
  const logFd = fs.openSync(o.logFile, 'w', 0o600)
  try {
    server = await spawnInNamespaces({
      namespaces: [],
      join: o.userNamespace ? {pid: o.pid, namespaces: ['user']} : undefined,
      // a session of its own: the ^C or hangup of tspod's terminal must not end the mount under the container
      steps: [{kind: 'setsid', name: 'setsid'}],
      command: {file: o.program, argv: [o.program, '-f', '-o', options, '/dev/fd/0'], env: [`PATH=${process.env.PATH ?? '/usr/bin:/bin'}`], cwd: '/'},
      stdio: [fuseFd, logFd, logFd],
      dieWithParent: o.dieWithParent ?? true,
    })
  } catch (err) {
    throw failure((err as Error).message, err)
  } finally {
    // the server holds the only copy now: if it dies, the FUSE connection is aborted
    fs.closeSync(fuseFd)
    fs.closeSync(logFd)
  }

  const exited = server.exited
  exited.catch(() => undefined)
  try {
    await reachMount(o, merged)
  } catch (err) {
    // a server that failed to start has exited (its descriptor closed, the probe failed): say why
    const early = await Promise.race([
      exited.then(
        (exit) => `${programOutput(o.logFile) || '<stderr empty>'}: ${exitText(exit)}`,
        (startError: Error) => startError.message,
      ),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref()),
    ])
    if (early) throw failure(early, err)
    killQuietly(server.pid)
    throw failure((err as Error).message, err)
  }

  let done: Promise<void> | undefined
  return {
    pid: server.pid,
    exited,
    finished() {
      done ??= (async () => {
        const timer = setTimeout(() => killQuietly(server.pid), EXIT_GRACE_MS)
        await exited.catch(() => undefined)
        clearTimeout(timer)
      })()
      return done
    },
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone already
  }
}

/**
 * A native overlay mount the kernel refused (no overlay in user namespaces, no overlay at all,
 * an option it does not know): with fuse-overlayfs installed, the error names storage.conf's fix.
 */
export function explainNativeOverlayFailure(err: unknown, configFile: string): unknown {
  if (!(err instanceof TspodError)) return err
  if (!err.syscall?.startsWith('mount overlay') || !['EPERM', 'EINVAL', 'ENODEV'].includes(err.code ?? '')) return err
  const fuseOverlayfs = findProgram(['fuse-overlayfs'])
  if (!fuseOverlayfs) return err
  return new TspodError(
    `${err.message}: native overlay cannot be mounted here; fuse-overlayfs can: set mount_program = "${fuseOverlayfs}" under [storage.options.overlay] in ${configFile}`,
    {code: err.code, errno: err.errno, syscall: err.syscall, path: err.path, cause: err},
  )
}
