// Container options (Podman's flag syntax) to a ContainerSpec: every value parsed and checked
// here, once, with Podman's messages (UsageError, exit 125), before anything is created. What
// depends on the image (the user's ids, the command) or on host state at create (a bind source's
// mount flags, the init binary, the runtime) is settled by create.
import * as path from 'node:path'

import {UsageError} from '../errors'
import {ImageVolumeMode, imageVolumeModeError, readContainersConf} from '../storage/config/containers-conf'
import {parseLogConfig} from '../runtime/container/log-config'
import {parsePublish} from '../runtime/network/publish'
import {chosenRuntime} from '../runtime/oci-runtime/resolve'
import {parseEntrypoint} from '../runtime/spec/command'
import {zoneFilePath} from '../runtime/spec/timezone'
import {parseCapabilities} from './capabilities'
import type {ContainerSpec} from './container-spec'
import {parseDevices} from './devices'
import {splitGroupAdd} from './groups'
import {resolveEnv} from './env'
import {checkHostsOptions, parseExtraHosts} from './hosts'
import {parseNamespaceMode} from './namespaces'
import {parseNetwork} from './network'
import type {NetworkMode} from './container-spec'
import {rootlessNetworkDefault} from '../runtime/network/pasta'
import {parseHealthOnFailure, parseHealthcheck} from './healthcheck'
import {parseRestartPolicy} from './restart'
import type {ContainerOptions} from './options'
import {checkSecurityOpts} from './security-opt'
import {parseSecrets} from './secrets'
import {parseSysctls} from './sysctls'
import {parseUlimits} from './ulimits'
import {parseUserns} from './userns'
import {mountFlagForms} from './mount-flag'
import {parseMounts} from './volumes'
import {parseVolumesFrom} from './volumes-from'
import {KERNEL_MEMORY_WARNING, checkMemoryLimit} from './resources'
import {parseSdNotify} from './sd-notify'
import {parseCgroupsMode} from './cgroups-mode'

export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

export interface ParseContext {
  /** where -e KEY, --env-host and the proxy variables read; default process.env */
  hostEnv?: NodeJS.ProcessEnv
  /** resolves ./relative -v sources; default process.cwd() */
  cwd?: string
  /** the capabilities the kernel knows; default read from /proc */
  supportedCapabilities?: string[]
  /** told each warning Podman prints for these options; plain: a bare line rather than a log entry */
  warn?: (text: string, plain: boolean) => void
}

/** --label KEY=VALUE (or KEY, an empty value), later ones win. */
export function parseLabels(values: string[]): Record<string, string> {
  return Object.fromEntries(values.map((v) => (v.includes('=') ? [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] : [v, ''])))
}

function checkWorkdir(workdir: string | undefined): string | undefined {
  if (!workdir) return undefined
  if (!path.posix.isAbsolute(workdir)) throw new UsageError(`the working directory '${workdir}' is invalid, it needs to be an absolute path`)
  return workdir
}

/** Parse and check every option; throws UsageError in Podman's words for the first bad one. */
export function parseContainerSpec(options: ContainerOptions, context: ParseContext = {}): ContainerSpec {
  if (options.name !== undefined && !NAME_PATTERN.test(options.name)) throw new UsageError(`names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument`)
  const warn = context.warn ?? (() => undefined)
  const network = parseNetwork(options.network, {aliases: options.networkAliases, ip: options.ip, mac: options.macAddress}, (): NetworkMode => (rootlessNetworkDefault().cmd === 'pasta' ? {kind: 'pasta', options: []} : {kind: 'slirp4netns'}))
  // checked now, used at each start (a port left out is picked then)
  let ports = parsePublish(options.publish ?? [])
  if (ports.length > 0 && network.kind === 'ns') throw new UsageError(`cannot set port bindings on an existing container network namespace`)
  if (ports.length > 0 && network.kind !== 'slirp4netns' && network.kind !== 'pasta' && network.kind !== 'bridge') {
    warn('Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use', true)
    ports = []
  }
  if (options.kernelMemory !== undefined) warn(KERNEL_MEMORY_WARNING, false)
  const memoryWarning = checkMemoryLimit(options.memory)
  if (memoryWarning) warn(memoryWarning, true)
  checkHostsOptions(network, options)
  const extraHosts = parseExtraHosts(options.addHost ?? [])
  const log = parseLogConfig(options.logDriver, options.logOptions)
  if (options.timezone !== undefined) zoneFilePath(options.timezone)
  // a seccomp profile it names is read now, so that a bad one fails here
  const security = checkSecurityOpts(options.securityOpt)
  if (options.noNewPrivileges !== undefined && security.noNewPrivileges === undefined) security.noNewPrivileges = options.noNewPrivileges
  const containersConf = readContainersConf()
  // containers.conf's [containers] userns is the default
  const userns = parseUserns(options.userns ?? containersConf.userns)
  const imageVolumeError = options.imageVolume === undefined ? undefined : imageVolumeModeError(options.imageVolume)
  if (imageVolumeError) throw new UsageError(imageVolumeError)
  const entrypoint = options.entrypoint === undefined ? undefined : parseEntrypoint(options.entrypoint)
  const workdir = checkWorkdir(options.workdir)
  const long = mountFlagForms(options.mount ?? [])
  const mounts = parseMounts([...(options.volumes ?? []), ...long.volumes], [...(options.tmpfs ?? []), ...long.tmpfs], {cwd: context.cwd ?? process.cwd()})
  const devices = parseDevices(options.devices ?? [])
  const taken = new Set(mounts.map((m) => m.destination))
  for (const device of devices) if (taken.has(device.destination)) throw new UsageError(`${device.destination}: duplicate mount destination`)
  const {groups, keepGroups} = splitGroupAdd(options.groupAdd ?? [])
  // containers.conf's [containers] http_proxy is the --http-proxy default
  const env = resolveEnv({...options, httpProxy: options.httpProxy ?? containersConf.httpProxy}, context.hostEnv ?? process.env)
  const sdNotify = parseSdNotify(options.sdNotify, context.hostEnv ?? process.env)
  const cgroups = parseCgroupsMode(options.cgroups)
  const {capAdd, capDrop} = parseCapabilities(options.capAdd ?? [], options.capDrop ?? [], context.supportedCapabilities)
  return {
    name: options.name,
    labels: parseLabels(options.labels ?? []),
    command: options.args && options.args.length > 0 ? options.args : undefined,
    entrypoint,
    workdir,
    tty: options.tty ?? false,
    interactive: options.interactive ?? false,
    user: options.user || undefined,
    hostUsers: options.hostUsers ?? [],
    ...(options.secrets?.length ? {secrets: parseSecrets(options.secrets)} : {}),
    groups,
    keepGroups,
    env,
    unsetenv: options.unsetenv ?? [],
    unsetenvAll: options.unsetenvAll ?? false,
    capAdd,
    capDrop,
    mounts,
    ...(options.volumesFrom?.length ? {volumesFrom: parseVolumesFrom(options.volumesFrom)} : {}),
    devices,
    hostname: options.hostname,
    network,
    ...(options.pod ? {pod: options.pod} : {}),
    ipc: parseNamespaceMode('ipc', options.ipc),
    uts: parseNamespaceMode('uts', options.uts),
    pid: parseNamespaceMode('pid', options.pid),
    ports,
    extraHosts,
    noHosts: options.noHosts ?? false,
    dns: options.dns,
    dnsSearch: options.dnsSearch,
    dnsOption: options.dnsOption,
    readOnly: options.readOnly ?? false,
    readOnlyTmpfs: options.readOnlyTmpfs ?? true,
    init: options.init ?? false,
    initPath: options.initPath,
    userns,
    security,
    privileged: options.privileged ?? false,
    autoRemove: options.autoRemove ?? false,
    restart: parseRestartPolicy(options.restart, options.autoRemove ?? false),
    runtime: chosenRuntime(options.runtime),
    ...(options.ulimit && options.ulimit.length > 0 ? {ulimits: parseUlimits(options.ulimit)} : {}),
    ...(options.sysctl && options.sysctl.length > 0 ? {sysctls: Object.fromEntries(parseSysctls(options.sysctl))} : {}),
    ...(options.preserveFds ? {preserveFds: options.preserveFds} : {}),
    ...(options.imageVolume !== undefined ? {imageVolume: options.imageVolume as ImageVolumeMode} : {}),
    // Podman prefixes each one with -- (pkg/domain/infra runtime_libpod.go)
    ...(options.runtimeFlags && options.runtimeFlags.length > 0 ? {runtimeFlags: options.runtimeFlags.map((f) => `--${f}`)} : {}),
    // the monitor writes it from its own working directory
    monitorPidFile: options.monitorPidFile === undefined ? undefined : path.resolve(context.cwd ?? process.cwd(), options.monitorPidFile),
    ...(sdNotify.mode !== 'container' || sdNotify.socket ? {sdNotify} : {}),
    ...(cgroups ? {cgroups} : {}),
    timeout: options.timeout || undefined,
    timezone: options.timezone,
    stopTimeout: options.stopTimeout,
    stopSignal: options.stopSignal,
    log,
    ...healthcheckSpec(options),
  }
}

/** The --health-* flags, when given; on-failure none is left out, as the default. */
function healthcheckSpec(options: ContainerOptions): Pick<ContainerSpec, 'healthcheck' | 'healthOnFailure'> {
  const healthcheck = parseHealthcheck(options.healthcheck ?? {})
  const healthOnFailure = parseHealthOnFailure(options.healthOnFailure)
  return {...(healthcheck ? {healthcheck} : {}), ...(healthOnFailure !== 'none' ? {healthOnFailure} : {})}
}
