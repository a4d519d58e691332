// Rootless networking through pasta (Debian's passt package), as Podman 5 runs it: pasta attaches
// to the container's user and network namespaces (by the pid of its first process, still held),
// copies the host's addresses and routes into a tap device there (--config-net), forwards the
// published ports (-t/-u) and answers DNS sent to 169.254.1.1 with the host's resolver. It
// detaches once the namespace is configured; it does not end with the namespace when attached by
// pid, so its pid (--pid) is kept in the container's run dir and it is signalled at the end.
//
// The rootless default is chosen as Podman 5 does: containers.conf's [network]
// default_rootless_network_cmd when set, else pasta when it is installed and can run (it needs
// /dev/net/tun), else slirp4netns.
import {execFile} from 'node:child_process'
import * as fs from 'node:fs'

import {TspodError} from '../../errors'
import {ContainersConf, readContainersConf} from '../../storage/config/containers-conf'
import {findInPath} from '../executables'
import {bindAddress, hostPortError, probeHostPort, resolveHostPorts} from './host-ports'
import type {PortMapping} from './publish'
import {runningPasta} from './pasta-process'
import {PASTA_DNS_FORWARD} from './resolv-conf'
import type {NetworkHandle} from './slirp4netns'
import {checkTunDevice} from './slirp4netns'

const START_TIMEOUT_MS = 10_000
const STOP_GRACE_MS = 2_000

export function findPasta(): string | undefined {
  return findInPath(['pasta'], process.env.PATH ?? '', ['/usr/bin', '/usr/local/bin'])
}

export interface RootlessNetworkChoice {
  cmd: 'pasta' | 'slirp4netns'
  /** why, in a sentence (info and doctor print it) */
  reason: string
}

/** The network a container gets without --network. */
export function rootlessNetworkDefault(conf: Pick<ContainersConf, 'defaultRootlessNetworkCmd'> = readContainersConf()): RootlessNetworkChoice {
  const set = conf.defaultRootlessNetworkCmd
  if (set) return {cmd: set.cmd, reason: `default_rootless_network_cmd = "${set.cmd}" in ${set.file}`}
  // started as root, pasta runs as nobody, which cannot join a user namespace root owns
  if (process.getuid?.() === 0) return {cmd: 'slirp4netns', reason: 'tspod runs as root, and pasta started by root drops to nobody: slirp4netns'}
  const pasta = findPasta()
  if (!pasta) return {cmd: 'slirp4netns', reason: 'pasta is not installed (Debian package passt): slirp4netns is the fallback'}
  try {
    checkTunDevice()
  } catch (err) {
    return {cmd: 'slirp4netns', reason: `pasta (${pasta}) cannot run: ${(err as Error).message.split(':')[0]}: slirp4netns is the fallback`}
  }
  return {cmd: 'pasta', reason: `pasta (${pasta}) is installed and /dev/net/tun is usable: the default, as in Podman 5`}
}

/** `-t`/`-u` specs for the published ports: [HOSTIP/]HOSTPORT[-END]:CTRPORT[-END] */
export function pastaPortArgs(ports: PortMapping[]): string[] {
  const args: string[] = []
  for (const p of ports) {
    // Podman 5's words: pasta carries tcp and udp only (its man page lists SCTP among its limitations)
    if (p.protocol === 'sctp') throw new TspodError(`can't forward protocol: ${p.protocol}`)
    const span = (start: number): string => (p.range > 1 ? `${start}-${start + p.range - 1}` : `${start}`)
    args.push(p.protocol === 'udp' ? '-u' : '-t', `${p.hostIP ? `${p.hostIP}/` : ''}${span(p.hostPort)}:${span(p.containerPort)}`)
  }
  return args
}

/** pasta's arguments as Podman 5 builds them: the user's options (--network pasta:OPTS) win over the defaults they name. */
export function pastaArgs(ports: PortMapping[], options: string[], pidFile: string, pid: number): string[] {
  const given = (...names: string[]): boolean => options.some((o) => names.includes(o) || names.some((n) => n.startsWith('--') && o.startsWith(`${n}=`)))
  const args = ['--config-net', ...pastaPortArgs(ports)]
  if (!ports.some((p) => p.protocol === 'tcp') && !given('-t', '--tcp-ports')) args.push('-t', 'none')
  if (!ports.some((p) => p.protocol === 'udp') && !given('-u', '--udp-ports')) args.push('-u', 'none')
  if (!given('-T', '--tcp-ns')) args.push('-T', 'none')
  if (!given('-U', '--udp-ns')) args.push('-U', 'none')
  if (!given('--map-gw')) args.push('--no-map-gw')
  if (!given('--dns-forward')) args.push('--dns-forward', PASTA_DNS_FORWARD)
  args.push('--quiet', '--pid', pidFile, ...options.filter((o) => o !== '--map-gw'), String(pid))
  return args
}

/** The container's pasta ended (if it runs), its pid file removed. */
export async function stopPasta(pidFile: string): Promise<void> {
  const pid = runningPasta(pidFile)
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM')
    for (let waited = 0; waited < STOP_GRACE_MS && runningPasta(pidFile) !== undefined; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
    if (runningPasta(pidFile) !== undefined) process.kill(pid, 'SIGKILL')
  }
  fs.rmSync(pidFile, {force: true})
}

/** Checks before the container exists: pasta and /dev/net/tun there; the ports with host ports picked. */
export async function preparePasta(ports: PortMapping[]): Promise<PortMapping[]> {
  if (!findPasta()) throw new TspodError('could not find pasta, the network binary necessary to setup a pasta network: install it (apt-get install passt)')
  checkTunDevice()
  pastaPortArgs(ports)
  return resolveHostPorts(ports)
}

/** pasta for the namespaces of `pid` (held): resolves once it has configured them and forwards the ports. */
export async function startPasta(options: {pid: number; ports: PortMapping[]; options: string[]; pidFile: string}): Promise<NetworkHandle> {
  const binary = findPasta()
  if (!binary) throw new TspodError('could not find pasta, the network binary necessary to setup a pasta network: install it (apt-get install passt)')
  const args = pastaArgs(options.ports, options.options, options.pidFile, options.pid)
  await new Promise<void>((resolve, reject) => {
    execFile(binary, args, {timeout: START_TIMEOUT_MS}, (err, stdout, stderr) => {
      if (!err) return resolve()
      // pasta also tells syslog, which is not there: those lines are noise
      const text = `${stdout}${stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('Failed to send')).join('; ')
      reject(new TspodError(`pasta failed with exit code ${err.code ?? 'unknown'}:\n${text || err.message}`))
    })
  }).catch(async (err) => {
    await stopPasta(options.pidFile)
    for (const port of options.ports)
      for (let i = 0; i < port.range; i++) {
        const bindError = await probeHostPort(bindAddress(port), port.hostPort + i, port.protocol)
        if (bindError) throw hostPortError(bindError, port, port.hostPort + i)
      }
    throw err
  })
  let stopping: Promise<void> | undefined
  let ended!: () => void
  const exited = new Promise<void>((resolve) => (ended = resolve))
  const pid = Number(fs.readFileSync(options.pidFile, 'utf8').trim())
  return {
    pid,
    ports: options.ports,
    exited,
    stop: () => (stopping ??= stopPasta(options.pidFile).finally(ended)),
  }
}
