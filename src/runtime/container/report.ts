// Containers in Podman's JSON shapes: `podman ps --format json` entries and `podman container
// inspect` records. Field names and nesting are Podman's, so scripts and Go templates written
// for Podman work unchanged.
import * as path from 'node:path'

import {goStruct} from '../../go-struct'
import {containerLowerDirs} from '../../storage/store/mapped-layers/mapped-layers'
import type {ExternalContainer} from '../../storage/containers-storage/containers'
import type {StorageContainer} from '../../storage/store/containers'
import type {Store} from '../../storage/store/store'
import type {ContainerSpec} from '../../specgen/container-spec'
import {KEEP_GROUPS} from '../../specgen/groups'
import type {PortMapping} from '../network/publish'
import {defaultNamespaceMode, namespaceModeName} from '../../specgen/namespaces'
import {APPARMOR_ANNOTATION, LABEL_ANNOTATION, OciMount, OciSpec, SECCOMP_ANNOTATION} from '../oci-spec'
import {Container, ContainerState, hasProcesses} from './config'
import {listExecSessions} from './exec-sessions'
import {HealthResults, NO_HEALTH_RESULTS, healthStatusOf, readHealth} from './health-log'
import type {HealthConfig} from '../../specgen/healthcheck'
import {humanSize} from './log-config'
import {bundleDir, containerDirs, logConfigOf, logFileOf, monitorPidFileOf} from './paths'
import {bridgeNetworkSettings} from '../network/netavark/inspect'
import {volumesFromText} from '../../specgen/volumes-from'

const ZERO_TIME = '0001-01-01T00:00:00Z'

function unix(iso: string | undefined): number {
  return iso ? Math.floor(Date.parse(iso) / 1000) : 0
}

export function isRunning(state: ContainerState): boolean {
  return state.status === 'running' || state.status === 'stopping'
}

function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 1) return 'Less than a second'
  if (s === 1) return '1 second'
  if (s < 60) return `${s} seconds`
  const m = Math.floor(s / 60)
  if (m === 1) return 'About a minute'
  if (m < 60) return `${m} minutes`
  const h = Math.round(s / 3600)
  if (h === 1) return 'About an hour'
  if (h < 48) return `${h} hours`
  const d = Math.floor(h / 24)
  if (d < 14) return `${d} days`
  if (d < 60) return `${Math.floor(d / 7)} weeks`
  if (d < 730) return `${Math.floor(d / 30)} months`
  return `${Math.floor(d / 365)} years`
}

/** "Up 5 seconds", "Exited (0) 3 minutes ago", "Paused", "Initialized", "Created", as `podman ps` STATUS. */
export function statusText(state: ContainerState, now = Date.now()): string {
  if (state.status === 'paused') return 'Paused'
  if (state.status === 'initialized') return 'Initialized'
  if (isRunning(state)) return `Up ${humanDuration(now - Date.parse(state.startedAt ?? new Date(now).toISOString()))}`
  if (state.status === 'exited') return `Exited (${state.exitCode}) ${humanDuration(now - Date.parse(state.finishedAt ?? new Date(now).toISOString()))} ago`
  return 'Created'
}

/** ps's STATUS with the container's health, as "Up 5 seconds (healthy)". */
function withHealth(status: string, health: string): string {
  return health ? `${status} (${health})` : status
}

export function createdSince(created: string, now = Date.now()): string {
  return `${humanDuration(now - Date.parse(created))} ago`
}

/** The command as `ps` shows it: the process args. */
export function commandOf(c: Container): string[] {
  return c.config.spec.process.args
}

function userMounts(c: Container, store: Store): OciMount[] {
  const userdata = containerDirs(store, c.config.id).userdata
  // its -v/--mount/--tmpfs, and the volumes it uses (an image VOLUME's, --volumes-from's)
  const own = new Set([...c.config.containerSpec.mounts, ...c.config.volumes].map((m) => m.destination))
  return (c.config.spec.mounts ?? []).filter((m) => own.has(m.destination) && !m.source?.startsWith(userdata))
}

/** The ports a container publishes now (resolved) or will (as given, a left-out host port as 0). */
export function portsOf(c: Container): PortMapping[] {
  return hasProcesses(c.state) && c.state.ports ? c.state.ports : c.config.ports
}

function portRange(start: number, range: number): string {
  return range > 1 ? `${start}-${start + range - 1}` : String(start)
}

/** "0.0.0.0:8080->80/tcp", as `podman ps` PORTS and `podman port` show them. */
export function portText(p: PortMapping): string {
  return `${p.hostIP || '0.0.0.0'}:${portRange(p.hostPort, p.range)}->${portRange(p.containerPort, p.range)}/${p.protocol}`
}

/** inspect's NetworkSettings.Ports / HostConfig.PortBindings: {"80/tcp": [{HostIp, HostPort}]}. */
function portBindings(ports: PortMapping[]): Record<string, {HostIp: string; HostPort: string}[]> {
  const out: Record<string, {HostIp: string; HostPort: string}[]> = {}
  for (const p of ports)
    for (let i = 0; i < p.range; i++) {
      const key = `${p.containerPort + i}/${p.protocol}`
      out[key] = [...(out[key] ?? []), goStruct({HostIp: p.hostIP, HostPort: p.hostPort === 0 ? '' : String(p.hostPort + i)})]
    }
  return out
}

export interface ContainerSummary {
  AutoRemove: boolean
  Command: string[]
  Created: number
  CreatedAt: string
  Exited: boolean
  ExitedAt: number
  ExitCode: number
  Id: string
  Image: string
  ImageID: string
  IsInfra: boolean
  Labels: Record<string, string> | null
  Mounts: string[] | null
  Names: string[]
  Namespaces: Record<string, string>
  Networks: string[] | null
  Pid: number
  Pod: string
  PodName: string
  Ports: {host_ip: string; container_port: number; host_port: number; range: number; protocol: string}[] | null
  StartedAt: number
  State: string
  Status: string
}

/** The pod a container belongs to, as `ps` shows it (its full ID, name and infra container). */
export interface PodOfContainer {
  id: string
  name: string
  infraId?: string
}

export function containerSummary(c: Container, store: Store, pod?: PodOfContainer, podName = false): ContainerSummary {
  const {config, state} = c
  return {
    AutoRemove: config.autoRemove,
    Command: commandOf(c),
    Created: unix(config.created),
    CreatedAt: createdSince(config.created),
    Exited: state.status === 'exited',
    ExitedAt: unix(state.finishedAt),
    ExitCode: state.exitCode,
    Id: config.id,
    Image: config.imageName,
    ImageID: config.imageId,
    IsInfra: pod?.infraId === config.id,
    Labels: Object.keys(config.labels ?? {}).length > 0 ? config.labels : null,
    Mounts: userMounts(c, store).map((m) => m.destination),
    Names: [config.name],
    Namespaces: {},
    Networks: [],
    Pid: state.pid,
    Pod: pod?.id ?? '',
    PodName: podName ? (pod?.name ?? '') : '',
    Ports: portsOf(c).length > 0 ? portsOf(c).map((p) => ({host_ip: p.hostIP, container_port: p.containerPort, host_port: p.hostPort, range: p.range, protocol: p.protocol})) : null,
    StartedAt: unix(state.startedAt),
    State: state.status,
    Status: withHealth(statusText(state), healthStatusOf(store, c) ?? ''),
  }
}

/**
 * A container in containers/storage (or in tspod's store) that tspod's runtime has no record of,
 * as `ps --external` lists it (Podman's ListStorageContainer): state "storage", no mounts or
 * networks, its command "buildah" or "storage".
 */
export function externalContainerSummary(c: ExternalContainer): ContainerSummary {
  return {
    AutoRemove: false,
    Command: [c.command],
    Created: unix(c.created),
    CreatedAt: createdSince(c.created),
    Exited: false,
    ExitedAt: 0,
    ExitCode: 0,
    Id: c.id,
    Image: c.image,
    ImageID: c.imageId,
    IsInfra: false,
    Labels: null,
    Mounts: null,
    Names: [c.name],
    Namespaces: {},
    Networks: null,
    Pid: 0,
    Pod: '',
    PodName: '',
    Ports: null,
    StartedAt: 0,
    State: 'storage',
    Status: 'Storage',
  }
}

/** A container of tspod's store without a runtime record (a creation cut short), in the shape of an external one. */
export function storeOnlyContainer(c: StorageContainer, store: Store): ExternalContainer {
  return {id: c.id, name: c.name, imageId: c.imageId, image: store.images.get(c.imageId)?.names[0] ?? '', created: c.created, command: 'storage'}
}

function inspectMount(m: OciMount) {
  const rw = !(m.options ?? []).includes('ro')
  return {
    Type: m.type === 'tmpfs' ? 'tmpfs' : 'bind',
    Source: m.source ?? '',
    Destination: m.destination,
    Driver: '',
    Mode: '',
    Options: (m.options ?? []).filter((o) => o !== 'ro' && o !== 'rw'),
    RW: rw,
    Propagation: m.type === 'bind' ? 'rprivate' : '',
  }
}

/** HostConfig.SecurityOpt as libpod rebuilds it from the spec, in its order. */
/** HostConfig.Binds: -v bind mounts and volumes, SRC:DST[:OPTIONS] with SRC absolute or the volume's name. */
function binds(request: ContainerSpec): string[] {
  return request.mounts.flatMap((m) => {
    if (m.type === 'tmpfs') return []
    const source = m.type === 'bind' ? m.source : m.name
    return [[...(source === '' ? [] : [source]), m.destination, ...(m.options.length > 0 ? [m.options.join(',')] : [])].join(':')]
  })
}

function securityOpt(spec: OciSpec): string[] {
  const annotations = spec.annotations ?? {}
  const shown: string[] = []
  if (spec.process.noNewPrivileges) shown.push('no-new-privileges')
  if (annotations[LABEL_ANNOTATION] !== undefined) shown.push(`label=${annotations[LABEL_ANNOTATION]}`)
  if (annotations[SECCOMP_ANNOTATION] !== undefined) shown.push(`seccomp=${annotations[SECCOMP_ANNOTATION]}`)
  if (annotations[APPARMOR_ANNOTATION] !== undefined) shown.push(`apparmor=${annotations[APPARMOR_ANNOTATION]}`)
  return shown
}

/** HostConfig.LogConfig: Size is --log-opt max-size only (containers.conf's log_size_max applies at start), as Podman 4.3 shows it. */
function inspectLogConfig(c: Container, store: Store) {
  const log = logConfigOf(c.config)
  return {Type: log.driver, Config: null, Path: logFileOf(store, c.config) ?? log.path ?? '', Tag: log.tag ?? '', Size: humanSize(log.size)}
}

/** State.Health as Podman's HealthCheckResults: a Go struct, its Log entries too. */
function inspectHealth(health: HealthResults) {
  return goStruct({Status: health.Status, FailingStreak: health.FailingStreak, Log: health.Log && health.Log.map((entry) => goStruct({...entry}))})
}

/** Config.Healthcheck in Schema2HealthConfig's field order, zero durations left out (omitempty). */
function inspectHealthConfig(hc: HealthConfig) {
  return goStruct({
    Test: hc.Test,
    ...(hc.StartPeriod ? {StartPeriod: hc.StartPeriod} : {}),
    ...(hc.Interval ? {Interval: hc.Interval} : {}),
    ...(hc.Timeout ? {Timeout: hc.Timeout} : {}),
    ...(hc.Retries ? {Retries: hc.Retries} : {}),
  })
}

/** Podman's InspectContainerState has a Healthcheck() method: templates may say .State.Healthcheck for .State.Health. */
function withHealthcheckMethod<T extends {Health: unknown}>(state: T): T {
  Object.defineProperty(state, 'Healthcheck', {value: state.Health, enumerable: false})
  return state
}

/** `podman container inspect`, the fields tspod knows. */
export function inspectContainer(c: Container, store: Store) {
  const {config, state} = c
  const request = config.containerSpec
  const dirs = containerDirs(store, config.id)
  const spec = config.spec
  const image = store.images.get(config.imageId)
  const [path0, ...args] = spec.process.args
  const running = isRunning(state)
  // a paused container's processes, monitor and network are there: only Running is false
  const live = hasProcesses(state)
  const lowerDirs = image ? containerLowerDirs(store, image, spec.linux) : []
  return {
    Id: config.id,
    Created: config.created,
    Path: path0,
    Args: args,
    State: withHealthcheckMethod({
      OciVersion: spec.ociVersion,
      Status: state.status,
      Running: running,
      Paused: state.status === 'paused',
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: state.pid,
      ConmonPid: live ? (state.monitorPid ?? 0) : 0,
      ExitCode: state.exitCode,
      Error: state.error ?? '',
      StartedAt: state.startedAt ?? ZERO_TIME,
      FinishedAt: state.finishedAt ?? ZERO_TIME,
      Health: inspectHealth(config.healthcheck ? readHealth(store, config.id) : NO_HEALTH_RESULTS),
      CheckpointedAt: ZERO_TIME,
      RestoredAt: ZERO_TIME,
    }),
    Image: config.imageId,
    ImageDigest: image?.digest ?? '',
    ImageName: config.imageName,
    Rootfs: '',
    Pod: request.pod ?? '',
    ResolvConfPath: path.join(dirs.userdata, 'resolv.conf'),
    HostnamePath: path.join(dirs.userdata, 'hostname'),
    HostsPath: path.join(dirs.userdata, 'hosts'),
    StaticDir: dirs.userdata,
    OCIConfigPath: path.join(bundleDir(store, config.id), 'config.json'),
    OCIRuntime: config.runtime ?? 'tspod',
    ConmonPidFile: monitorPidFileOf(store, config),
    PidFile: '',
    Name: config.name,
    RestartCount: state.restartCount ?? 0,
    Driver: store.layout.driver.name,
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    EffectiveCaps: spec.process.capabilities?.effective ?? [],
    BoundingCaps: spec.process.capabilities?.bounding ?? [],
    ExecIDs: listExecSessions(store, config.id).map((s) => s.id),
    GraphDriver: {
      Name: store.layout.driver.name,
      Data: store.layout.driver.fullCopies ? {} : {LowerDir: lowerDirs.join(':'), UpperDir: dirs.upper, WorkDir: dirs.work, MergedDir: dirs.merged},
    },
    Mounts: userMounts(c, store).map(inspectMount),
    Dependencies: [],
    NetworkSettings: {
      ...(config.containerSpec.network.kind === 'bridge' ? bridgeNetworkSettings(c, live) : {}),
      Ports: portBindings(portsOf(c)),
      SandboxKey: live && config.network !== 'host' ? `/proc/${state.pid}/ns/net` : '',
    },
    Namespace: '',
    IsInfra: false,
    IsService: config.containerSpec.isService === true,
    Config: {
      Hostname: spec.hostname ?? '',
      Domainname: '',
      User: request.user ?? '',
      AttachStdin: request.interactive,
      AttachStdout: false,
      AttachStderr: false,
      Tty: spec.process.terminal ?? false,
      OpenStdin: request.interactive,
      StdinOnce: false,
      Env: spec.process.env ?? [],
      Cmd: request.command ?? null,
      Image: config.imageName,
      Volumes: null,
      WorkingDir: spec.process.cwd,
      Entrypoint: request.entrypoint?.join(' ') ?? '',
      OnBuild: null,
      Labels: Object.keys(config.labels ?? {}).length > 0 ? config.labels : null,
      Annotations: spec.annotations ?? {},
      StopSignal: config.stopSignal,
      ...(config.healthcheck ? {Healthcheck: inspectHealthConfig(config.healthcheck)} : {}),
      HealthcheckOnFailureAction: config.healthOnFailure ?? 'none',
      StopTimeout: config.stopTimeout,
      ...(request.createCommand ? {CreateCommand: request.createCommand} : {}),
      Umask: '0022',
      Timeout: 0,
      Passwd: true,
      SdNotifyMode: request.sdNotify?.mode ?? 'container',
      SdNotifySocket: request.sdNotify?.socket ?? '',
    },
    HostConfig: {
      Binds: binds(request),
      VolumesFrom: (request.volumesFrom ?? []).map(volumesFromText),
      LogConfig: inspectLogConfig(c, store),
      NetworkMode: config.network,
      IpcMode: namespaceModeName(request.ipc ?? defaultNamespaceMode('ipc')),
      UTSMode: namespaceModeName(request.uts ?? defaultNamespaceMode('uts')),
      PidMode: namespaceModeName(request.pid ?? defaultNamespaceMode('pid')),
      PortBindings: portBindings(config.ports),
      RestartPolicy: {Name: config.containerSpec.restart?.policy ?? '', MaximumRetryCount: config.containerSpec.restart?.retries ?? 0},
      AutoRemove: config.autoRemove,
      CapAdd: request.capAdd,
      CapDrop: request.capDrop,
      GroupAdd: request.keepGroups ? [KEEP_GROUPS] : request.groups,
      ReadonlyRootfs: request.readOnly,
      Tmpfs: Object.fromEntries(request.mounts.filter((m) => m.type === 'tmpfs').map((m) => [m.destination, m.options.join(',')])),
      Init: request.init,
      Runtime: 'oci',
      // Podman: "private" when the container has a user namespace of its own (keep-id, nomap, auto)
      UsernsMode: request.userns.kind === 'host' ? '' : 'private',
      SecurityOpt: securityOpt(spec),
      // no cgroup namespace of its own unless the host is cgroup v2 only (spec/generate.ts)
      CgroupMode: spec.linux?.namespaces?.some((n) => n.type === 'cgroup' && !n.path) ? 'private' : 'host',
      Cgroup: '',
      // Podman shows "default" for each mode but disabled
      Cgroups: request.cgroups === 'disabled' ? 'disabled' : 'default',
      CgroupParent: '',
    },
  }
}
