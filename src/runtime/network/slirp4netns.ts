// Rootless networking through slirp4netns, run as Podman 4 runs it for `--network slirp4netns`:
// a tap0 in the container's network namespace, configured with 10.0.2.100/24, gateway 10.0.2.2
// and a DNS forwarder on 10.0.2.3, backed by a user-mode TCP/IP stack in slirp4netns on the
// host; published ports are forwarded through its API socket (add_hostfwd).
//
// It is started while the container's first process sets up its mounts, and that process runs
// the container's program once it is ready (spawnInNamespaces' besideSteps): slirp4netns joins
// /proc/<pid>/ns/user and /proc/<pid>/ns/net by the pid.
// (The `--netns-type=path --userns-path` form cannot be combined with --enable-sandbox by a
// non-root caller: slirp4netns then never enters the user namespace and its setegid(0) fails.)
//
// slirp4netns never outlives tspod: it watches its --exit-fd, one end of a socket pair whose
// other end only this process holds, and exits when that end closes, however tspod ends. A
// detached container's network lives as long as its monitor instead: the monitor gives an fd
// to watch (exitFd), the read end of a pipe whose write end only the monitor holds.
import {ChildProcess, execFile, spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {findInPath, isExecutableFile} from '../executables'
import {bindAddress, hostPortError, probeHostPort, resolveHostPorts} from './host-ports'
import {PortMapping, formatPortMapping} from './publish'
import {Slirp4netnsApiError, addHostForward} from './slirp4netns-api'
import {SLIRP4NETNS_MTU, SLIRP4NETNS_NETWORK} from './slirp4netns-network'

export {SLIRP4NETNS_MTU, SLIRP4NETNS_NETWORK}

const TUN_DEVICE = '/dev/net/tun'
const READY_TIMEOUT_MS = 10_000
const STOP_GRACE_MS = 2_000
/** sun_path holds 108 bytes with the terminating NUL */
const MAX_SOCKET_PATH = 107

/** How slirp4netns is run, whatever the container. */
export interface Slirp4netnsSettings {
  /** ports to forward; a host port 0 gets a free port (see prepareSlirp4netns) */
  ports: PortMapping[]
  /** default 65520, as Podman */
  mtu?: number
  /** IPv6 (fd00::/64 by router advertisement) as Podman 4 does; default: when slirp4netns supports it */
  enableIPv6?: boolean
  /** --cidr: the IPv4 network to configure; default 10.0.2.0/24 */
  cidr?: string
  /** let the container reach the host's 127.0.0.1 as 10.0.2.2; default false (Podman's allow_host_loopback) */
  allowHostLoopback?: boolean
  /** the slirp4netns program; default: `slirp4netns` looked up in $PATH (Podman's network_cmd_path) */
  binary?: string
  /**
   * where a private dir for its API socket and log is made while it starts (removed once the
   * ports are forwarded); default $XDG_RUNTIME_DIR, else the OS temp dir
   */
  socketDir?: string
  /** how long to wait for slirp4netns to configure the network; default 10 s */
  readyTimeoutMs?: number
}

export interface Slirp4netnsOptions extends Slirp4netnsSettings {
  /** the container's first process, still waiting to be released (its namespaces are joined) */
  pid: number
  /**
   * An fd of this process for slirp4netns to watch as its --exit-fd: it exits once the fd's
   * other end is closed everywhere (not when this process ends); stop() then signals it.
   * Default: one end of a socket pair only this process holds.
   */
  exitFd?: number
}

export interface NetworkHandle {
  /** the slirp4netns process */
  pid: number
  /** the forwarded ports as given, with every host port 0 replaced by the port picked */
  ports: PortMapping[]
  /** resolves when slirp4netns has exited, for whatever reason */
  exited: Promise<void>
  /** stop slirp4netns (closing its exit fd, or SIGTERM with a given exitFd; SIGKILL if it lingers); idempotent */
  stop(): Promise<void>
  /** on named networks: what netavark set up, by network (inspect's NetworkSettings.Networks) */
  networks?: Record<string, import('./netavark/netavark').NetworkStatus>
}

export interface Slirp4netnsFeatures {
  disableHostLoopback: boolean
  mtu: boolean
  enableSandbox: boolean
  enableSeccomp: boolean
  ipv6: boolean
  apiSocket: boolean
}

const featureCache = new Map<string, Promise<Slirp4netnsFeatures>>()

/**
 * What a slirp4netns program's --help said, kept across runs in the user's runtime dir (a tmpfs
 * only they can write), keyed by the program file's identity: one process less on every start.
 */
interface KnownFeatures {
  binary: string
  /** dev, ino, size, mtime and ctime of the program file when it was asked */
  identity: string
  features: Slirp4netnsFeatures
}

function featuresFile(): string | undefined {
  const runtimeDir = process.env.XDG_RUNTIME_DIR
  if (!runtimeDir || !path.isAbsolute(runtimeDir)) return undefined
  try {
    const st = fs.statSync(runtimeDir)
    if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) return undefined
  } catch {
    return undefined
  }
  return path.join(runtimeDir, 'tspod', 'slirp4netns-features.json')
}

function identityOf(binary: string): string | undefined {
  try {
    const st = fs.statSync(binary, {bigint: true})
    return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':')
  } catch {
    return undefined
  }
}

function knownFeatures(file: string | undefined, binary: string, identity: string | undefined): Slirp4netnsFeatures | undefined {
  if (!file || !identity) return undefined
  try {
    const known = JSON.parse(fs.readFileSync(file, 'utf8')) as KnownFeatures
    return known.binary === binary && known.identity === identity ? known.features : undefined
  } catch {
    return undefined
  }
}

function rememberFeatures(file: string | undefined, known: KnownFeatures): void {
  if (!file) return
  const tmp = `${file}.tmp-${process.pid}`
  try {
    fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
    fs.writeFileSync(tmp, JSON.stringify(known), {mode: 0o600})
    fs.renameSync(tmp, file)
  } catch {
    fs.rmSync(tmp, {force: true}) // only a cache: asked again next time
  }
}

/** The options this slirp4netns knows, from its --help (as Podman decides which to pass). */
export function slirp4netnsFeatures(binary: string): Promise<Slirp4netnsFeatures> {
  let features = featureCache.get(binary)
  if (!features) {
    const file = featuresFile()
    const identity = identityOf(binary)
    const known = knownFeatures(file, binary, identity)
    features = known ? Promise.resolve(known) : askFeatures(binary)
    if (!known && identity) void features.then((f) => rememberFeatures(file, {binary, identity, features: f}), () => undefined)
    featureCache.set(binary, features)
    features.catch(() => featureCache.delete(binary))
  }
  return features
}

function askFeatures(binary: string): Promise<Slirp4netnsFeatures> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['--help'], {timeout: READY_TIMEOUT_MS}, (err, stdout, stderr) => {
      const help = `${stdout}${stderr}`
      if (err) return reject(new TspodError(`checking slirp4netns binary ${binary}: ${err.message.split('\n')[0]}`, {cause: err}))
      resolve({
        disableHostLoopback: help.includes('--disable-host-loopback'),
        mtu: help.includes('--mtu'),
        enableSandbox: help.includes('--enable-sandbox'),
        enableSeccomp: help.includes('--enable-seccomp'),
        ipv6: help.includes('--enable-ipv6'),
        apiSocket: help.includes('--api-socket'),
      })
    })
  })
}

const INSTALL_HINT = 'install it (apt-get install slirp4netns) or set its path'

/** Podman's lookup: network_cmd_path when set, else slirp4netns in $PATH. */
export function findSlirp4netns(binary?: string): string {
  if (binary !== undefined) {
    if (isExecutableFile(binary)) return binary
    throw new TspodError(`could not find slirp4netns, the network namespace can't be configured: ${binary} is not an executable file; ${INSTALL_HINT}`, {code: 'ENOENT', path: binary})
  }
  const found = findInPath(['slirp4netns'])
  if (found) return found
  throw new TspodError(`could not find slirp4netns, the network namespace can't be configured: exec: "slirp4netns": executable file not found in $PATH; ${INSTALL_HINT}`, {code: 'ENOENT'})
}

function userName(): string {
  try {
    return os.userInfo().username
  } catch {
    return `uid ${process.getuid?.()}`
  }
}

const TUN_FIX_MODE = `fix (as root): chmod 0666 ${TUN_DEVICE} (Debian's udev makes it 0666)`
const TUN_FIX_MISSING = `fix (as root): modprobe tun, or mkdir -p /dev/net && mknod -m 0666 ${TUN_DEVICE} c 10 200`

/** slirp4netns opens /dev/net/tun as the user: say so, with the fix, before starting it. */
export function checkTunDevice(): void {
  let stat: fs.Stats
  try {
    stat = fs.statSync(TUN_DEVICE)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`${TUN_DEVICE} is missing: slirp4netns needs it for the container's network; ${TUN_FIX_MISSING}`, {code: e.code, path: TUN_DEVICE, cause: err})
  }
  try {
    fs.accessSync(TUN_DEVICE, fs.constants.R_OK | fs.constants.W_OK)
  } catch (err) {
    const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0')
    throw new TspodError(
      `${TUN_DEVICE} is not readable and writable by ${userName()} (mode ${mode}, owner ${stat.uid}:${stat.gid}): slirp4netns needs it for the container's network; ${TUN_FIX_MODE}`,
      {code: (err as NodeJS.ErrnoException).code, path: TUN_DEVICE, cause: err},
    )
  }
}

/** slirp4netns forwards tcp and udp on IPv4 host addresses only: refuse the rest before starting. */
function checkForwardable(ports: PortMapping[]): void {
  for (const port of ports) {
    // Podman's words with port_handler=slirp4netns, which tspod's forwarding is: slirp4netns' API refuses the protocol
    if (port.protocol !== 'tcp' && port.protocol !== 'udp') throw new TspodError('from slirp4netns while setting up port redirection: map[desc:bad request: add_hostfwd: bad arguments.proto]')
    if (port.hostIP.includes(':'))
      throw new TspodError(`cannot publish ${formatPortMapping(port)}: slirp4netns forwards ports on IPv4 host addresses only`)
  }
}

/** slirp4netns' progress lines, which say nothing about a failure. */
const LOG_NOISE = [/^WARNING: /, /^(sent|received) tapfd=/, /^child failed\(/, /^parent failed$/, /^Starting slirp$/, /^\* /, /^do_slirp is exiting$/, /^exitfd event$/]

/**
 * The one-line reason for a failed slirp4netns from what it printed (stdout and stderr), with
 * the fix where there is a known one.
 */
export function explainSlirp4netnsFailure(binary: string, log: string, status: string): string {
  const reasons = [...new Set(log.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !LOG_NOISE.some((re) => re.test(l))))]
  const text = `${binary} failed: ${reasons.length > 0 ? reasons.join('; ') : status}`
  if (/open\("\/dev\/net\/tun"\): (Permission denied|Operation not permitted)/.test(log))
    return `${text}: ${TUN_DEVICE} must be readable and writable by every user; ${TUN_FIX_MODE}`
  if (/open\("\/dev\/net\/tun"\): No such (file or directory|device)/.test(log)) return `${text}: ${TUN_DEVICE} is missing; ${TUN_FIX_MISSING}`
  return text
}

function defaultSocketDir(): string {
  const runtimeDir = process.env.XDG_RUNTIME_DIR
  if (runtimeDir && path.isAbsolute(runtimeDir)) {
    try {
      if (fs.statSync(runtimeDir).isDirectory()) return runtimeDir
    } catch {
      // not there: the temp dir
    }
  }
  return os.tmpdir()
}

function readLog(fd: number): string {
  try {
    const size = fs.fstatSync(fd).size
    const buf = Buffer.alloc(Math.min(size, 64 * 1024))
    const n = fs.readSync(fd, buf, 0, buf.length, 0)
    return buf.subarray(0, n).toString('utf8')
  } catch {
    return ''
  }
}

function exitStatusText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by signal ${signal}` : `exit status ${code}`
}

/** Wait for the ready byte on `ready`, or the process's end, or the timeout. */
function waitReady(child: ChildProcess, ready: net.Socket, timeoutMs: number, failure: (why: string) => TspodError): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      clearTimeout(timer)
      ready.removeAllListeners('data')
      child.removeListener('exit', onExit)
      child.removeListener('error', onError)
      if (err) reject(err)
      else resolve()
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => done(failure(exitStatusText(code, signal)))
    const onError = (err: Error): void => done(new TspodError(`starting slirp4netns: ${err.message}`, {cause: err}))
    const timer = setTimeout(() => done(failure(`not ready after ${timeoutMs / 1000}s`)), timeoutMs)
    ready.on('data', () => done())
    ready.on('error', () => undefined) // its end closes once it has written
    child.once('exit', onExit)
    child.once('error', onError)
  })
}

interface Checked {
  binary: string
  features: Slirp4netnsFeatures
  mtu: number
}

async function check(settings: Slirp4netnsSettings): Promise<Checked> {
  const mtu = settings.mtu ?? SLIRP4NETNS_MTU
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65521) throw new TspodError(`invalid mtu "${mtu}"`)
  checkForwardable(settings.ports)
  checkTunDevice()
  const binary = findSlirp4netns(settings.binary)
  const features = await slirp4netnsFeatures(binary)
  if (settings.enableIPv6 && !features.ipv6) throw new TspodError('enable_ipv6 not supported')
  if (settings.ports.length > 0 && !features.apiSocket) throw new TspodError(`${binary} has no --api-socket: it cannot forward ports`)
  return {binary, features, mtu}
}

/**
 * What startSlirp4netns checks before it needs the container (the program, /dev/net/tun, ports
 * it cannot forward), to fail before the container is created; and the ports with every host
 * port 0 replaced by a free port, to record and to pass on to startSlirp4netns.
 */
export async function prepareSlirp4netns(settings: Slirp4netnsSettings): Promise<PortMapping[]> {
  await check(settings)
  return resolveHostPorts(settings.ports)
}

/**
 * Start slirp4netns for the network namespace of `pid` and forward `ports` to it (a host port
 * still 0 is picked here). Fails with a one-line TspodError (a missing program or
 * /dev/net/tun, a host port in use, ...) after stopping whatever it started.
 */
export async function startSlirp4netns(options: Slirp4netnsOptions): Promise<NetworkHandle> {
  if (!Number.isSafeInteger(options.pid) || options.pid <= 0) throw new TspodError(`cannot start slirp4netns for pid ${options.pid}`)
  const {binary, features, mtu} = await check(options)
  const ports = await resolveHostPorts(options.ports)

  const workDir = fs.mkdtempSync(path.join(options.socketDir ?? defaultSocketDir(), 'tspod-slirp4netns-'))
  const apiSocket = ports.length > 0 ? path.join(workDir, 'api.sock') : undefined
  if (apiSocket && Buffer.byteLength(apiSocket) > MAX_SOCKET_PATH) {
    fs.rmSync(workDir, {recursive: true, force: true})
    throw new TspodError(`the slirp4netns API socket path ${apiSocket} is too long (more than ${MAX_SOCKET_PATH} bytes): use a shorter XDG_RUNTIME_DIR`)
  }

  const args: string[] = []
  if (!options.allowHostLoopback && features.disableHostLoopback) args.push('--disable-host-loopback')
  if (features.mtu) args.push(`--mtu=${mtu}`)
  if (options.cidr !== undefined) args.push(`--cidr=${options.cidr}`)
  if (features.enableSandbox) args.push('--enable-sandbox')
  if (features.enableSeccomp) args.push('--enable-seccomp')
  if ((options.enableIPv6 ?? true) && features.ipv6) args.push('--enable-ipv6')
  args.push('--configure', '--exit-fd=3', '--ready-fd=4')
  if (apiSocket) args.push(`--api-socket=${apiSocket}`)
  args.push(String(options.pid), SLIRP4NETNS_NETWORK.interface)

  const logPath = path.join(workDir, 'slirp4netns.log')
  const logFd = fs.openSync(logPath, 'w+', 0o600)
  fs.unlinkSync(logPath) // still readable through logFd while needed
  let child: ChildProcess
  try {
    // its own session, like Podman's own process group: a terminal's ^C is for the container
    child = spawn(binary, args, {stdio: ['ignore', logFd, logFd, options.exitFd ?? 'pipe', 'pipe'], detached: true})
  } catch (err) {
    fs.closeSync(logFd)
    fs.rmSync(workDir, {recursive: true, force: true})
    throw new TspodError(`starting slirp4netns: ${(err as Error).message}`, {cause: err})
  }
  const exitFd = child.stdio[3] as net.Socket | null
  const readyFd = child.stdio[4] as net.Socket | null
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
    child.once('error', () => resolve()) // never started
  })

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      child.ref() // keep the event loop alive until it is gone
      if (exitFd) exitFd.destroy() // its exit fd reports HUP: slirp4netns exits by itself
      else if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM') // its exit fd is not ours to close
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(kill)
      readyFd?.destroy()
      // slirp4netns cannot remove its socket itself once sandboxed (its / is elsewhere)
      fs.rmSync(workDir, {recursive: true, force: true})
    })()
    return stopping
  }

  const failure = (why: string): TspodError => new TspodError(explainSlirp4netnsFailure(binary, readLog(logFd), why))
  try {
    await waitReady(child, readyFd!, options.readyTimeoutMs ?? READY_TIMEOUT_MS, failure)
    readyFd!.destroy()
    for (const port of ports) await forwardPort(apiSocket!, port)
    // nothing more to ask it: leave nothing on disk, even if tspod is killed later
    fs.rmSync(workDir, {recursive: true, force: true})
  } catch (err) {
    await stop()
    throw err
  } finally {
    fs.closeSync(logFd)
  }
  // neither slirp4netns nor its exit fd keeps tspod running; exiting closes the fd and ends it
  child.unref()
  exitFd?.unref()
  return {pid: child.pid!, ports, exited, stop}
}

async function forwardPort(apiSocket: string, port: PortMapping): Promise<void> {
  for (let i = 0; i < port.range; i++) {
    const hostPort = port.hostPort + i
    try {
      await addHostForward(apiSocket, {
        proto: port.protocol as 'tcp' | 'udp',
        host_addr: bindAddress(port),
        host_port: hostPort,
        guest_port: port.containerPort + i,
      })
    } catch (err) {
      if (!(err instanceof Slirp4netnsApiError)) throw err
      // slirp4netns only says "slirp_add_hostfwd failed": find out why by binding it here
      const bindError = await probeHostPort(bindAddress(port), hostPort, port.protocol)
      throw bindError ? hostPortError(bindError, port, hostPort) : err
    }
  }
}
