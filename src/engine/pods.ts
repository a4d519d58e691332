// Pods (Podman's `pod` verbs): a pod is a record and, unless --infra=false, an infra container
// running catatonit that holds the namespaces its other containers share (net, ipc and uts by
// default). Containers join it through --pod; the pod's state is derived from its containers'.
import * as crypto from 'node:crypto'

import {TspodError, UsageError} from '../errors'
import {goStruct} from '../go-struct'
import {Container, hasProcesses} from '../runtime/container/config'
import {createContainer} from '../runtime/container/create'
import {startDetachedOnce} from '../runtime/container/detach'
import {randomName} from '../runtime/container/names'
import {NoSuchContainerError, ContainerRecords} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import {killContainer, stopContainer} from '../runtime/container/stop'
import {NetworkConfigs} from '../runtime/network/netavark/config'
import {parsePodFilters} from '../runtime/pod/filter'
import {ensurePauseImage} from '../runtime/pod/pause-image'
import type {TopResult} from '../runtime/top/top'
import type {ContainerStats} from '../runtime/stats/stats'
import {NoSuchPodError, PodConfig, PodRecords, PodStatus, podStatus} from '../runtime/pod/records'
import {podsOfService, stopServiceIfDone} from '../runtime/pod/service-container'
import {readContainersConf} from '../storage/config/containers-conf'
import type {RegistriesConfig} from '../storage/image/config/registries-conf'
import type {ImageContext} from '../storage/image/transports/types'
import type {Image} from '../storage/store/images/images'
import {resolveLocalImage} from '../storage/store/images/lookup'
import type {Store} from '../storage/store/store'
import type {ContainerSpec} from '../specgen/container-spec'
import {NAME_PATTERN, parseContainerSpec, parseLabels} from '../specgen/parse'
import type {EventRecorder} from '../events/recorder'
import type {TargetEvents} from './events'
import {containerNetworks} from './networks'

export interface PodCreateOptions {
  name?: string
  labels: string[]
  /** --infra (default true) */
  infra: boolean
  infraImage?: string
  infraCommand?: string
  infraName?: string
  network?: string
  hostname?: string
  /** --add-host, --dns, --dns-search, --dns-option: the infra container's /etc/hosts and resolv.conf, which its members share */
  addHost?: string[]
  dns?: string[]
  dnsSearch?: string[]
  dnsOption?: string[]
  publish: string[]
  /** --share: comma-separated namespaces (net, ipc, uts, pid; none or "" for none); default net,ipc,uts */
  share?: string
  userns?: string
  /** --replace: a pod of the same name is removed first (its containers stopped) */
  replace?: boolean
  /** --exit-policy: continue (the default) or stop (the pod stops when its last container exits) */
  exitPolicy?: string
  /** how to reach a registry when the infra image must be pulled */
  pullContext?: () => ImageContext
  /** the service container (serviceContainer()) the pod's life is tied to */
  serviceContainerId?: string
  /** the command line that created it, kept for `generate systemd --new` */
  createCommand?: string[]
}

export interface PodReport {
  Id: string
  Name: string
  Created: string
  Status: PodStatus
  Labels: Record<string, string>
  InfraId: string
  Hostname: string
  SharedNamespaces: string[]
  Containers: {Id: string; Names: string; Status: string}[]
}

const SHAREABLE = ['net', 'ipc', 'uts', 'pid', 'cgroup', 'user']
const DEFAULT_SHARE = ['ipc', 'net', 'uts']

const EXIT_POLICIES = ['continue', 'stop']

/** --share: a list, none (or ""), or +LIST: the defaults and LIST. */
function parseShare(share: string | undefined, infra: boolean): string[] {
  if (share === undefined) return infra ? DEFAULT_SHARE : []
  if (!infra && share !== 'none' && share !== '') throw new UsageError(`cannot set share(${share}) namespaces without an infra container`)
  const added = share.startsWith('+')
  const given = share === 'none' || share === '' ? [] : (added ? share.slice(1) : share).split(',').map((s) => s.trim())
  for (const ns of given) if (!SHAREABLE.includes(ns)) throw new UsageError(`invalid kernel namespace to share: ${ns}. Options are: cgroup, ipc, net, pid, uts or none`)
  const list = added ? [...new Set([...DEFAULT_SHARE, ...given])] : given
  // the user and cgroup namespaces are the store's and the container's own in tspod
  return list.filter((ns) => ns !== 'user' && ns !== 'cgroup').sort()
}

export class PodEngine {
  readonly pods: PodRecords

  constructor(
    readonly store: Store,
    readonly records: ContainerRecords,
    readonly registries: RegistriesConfig,
    /** where pod and container events go (none recorded without it) */
    private readonly events?: EventRecorder,
  ) {
    this.pods = new PodRecords(store)
  }

  /** `pod create`: the pod record and its infra container (created, not started); returns the pod. */
  async create(options: PodCreateOptions): Promise<PodConfig> {
    if (options.name !== undefined && !NAME_PATTERN.test(options.name)) throw new UsageError('names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument')
    if (!options.infra && (options.infraImage || options.infraCommand || options.infraName || options.publish.length > 0 || options.network))
      throw new UsageError('cannot set infra options (image, command, name, publish, network) without an infra container: invalid argument')
    const share = parseShare(options.share, options.infra)
    const exitPolicy = options.exitPolicy ?? 'continue'
    if (!EXIT_POLICIES.includes(exitPolicy)) throw new UsageError(`running pod create option: invalid pod exit policy: "${exitPolicy}"`)
    if (options.replace && options.name === undefined) throw new UsageError('cannot replace pod without --name being set')
    if (options.replace && this.exists(options.name!)) {
      const old = this.pods.lookup(options.name!)
      if (old.name === options.name) await this.removePod(old, {force: true})
    }
    const taken = new Set(this.pods.list().map((p) => p.name))
    const name = options.name ?? randomName((n) => taken.has(n))
    if (taken.has(name)) throw new UsageError(`adding pod to state: name "${name}" is in use: pod already exists`)
    const id = crypto.randomBytes(32).toString('hex')
    const pod: PodConfig = {
      id,
      name,
      created: new Date().toISOString(),
      labels: parseLabels(options.labels),
      share,
      hostname: options.hostname,
      infraImage: options.infraImage,
      infraCommand: options.infraCommand === undefined ? undefined : [options.infraCommand],
      infraName: options.infraName,
      network: options.network,
      publish: options.publish,
      userns: options.userns,
      exitPolicy: exitPolicy as PodConfig['exitPolicy'],
      serviceContainerId: options.serviceContainerId,
      createCommand: options.createCommand,
    }
    // the infra container's options are checked before anything is stored
    const infraSpec = options.infra ? this.infraSpec(pod, options) : undefined
    this.pods.add(pod)
    if (!infraSpec) return pod
    try {
      const infraImage = pod.infraImage ?? readContainersConf().infraImage
      const {image, name: imageName} = infraImage ? await this.infraImageNamed(infraImage, options.pullContext) : await ensurePauseImage(this.store, this.registries)
      const {container} = await createContainer(this.store, this.records, image, imageName, infraSpec)
      pod.infraId = container.config.id
      this.pods.replace(pod)
      return pod
    } catch (err) {
      this.pods.delete(id)
      throw err
    }
  }

  /** --infra-image (or containers.conf's infra_image): the local image, else pulled as `create` pulls a missing one. */
  private async infraImageNamed(name: string, pullContext: (() => ImageContext) | undefined): Promise<{image: Image; name: string}> {
    const found = resolveLocalImage(this.store, name, this.registries)
    if (found) return {image: found.image, name: found.name ?? name}
    const {pullReporting} = await import('./create')
    const ctx = pullContext ? pullContext() : {}
    const image = await pullReporting(this.store, name, {...ctx, registries: this.registries}, {})
    return {image, name: image.names[0] ?? name}
  }

  private infraSpec(pod: PodConfig, dns: Pick<PodCreateOptions, 'addHost' | 'dns' | 'dnsSearch' | 'dnsOption'>): ContainerSpec {
    const spec = parseContainerSpec({
      name: pod.infraName ?? `${pod.id.slice(0, 12)}-infra`,
      addHost: dns.addHost,
      dns: dns.dns,
      dnsSearch: dns.dnsSearch,
      dnsOption: dns.dnsOption,
      network: pod.network,
      publish: pod.publish,
      hostname: pod.hostname ?? pod.name,
      userns: pod.userns,
      ...(pod.infraCommand ? {entrypoint: JSON.stringify(pod.infraCommand)} : {}),
    })
    return {...spec, pod: pod.id}
  }

  /**
   * A container's spec with --pod resolved: the pod's id, and the namespaces it shares taken
   * from the infra container. `new:NAME` creates the pod first (Podman's defaults).
   */
  async joinPod(spec: ContainerSpec, pullContext?: () => ImageContext): Promise<ContainerSpec> {
    if (spec.pod === undefined) return spec
    const fresh = spec.pod.startsWith('new:')
    // as Podman, a new pod takes the container's --hostname (the container then has the pod's),
    // and the container's create command as its own
    const pod = fresh ? await this.create({name: spec.pod.slice(4), labels: [], infra: true, publish: [], hostname: spec.hostname, pullContext, createCommand: spec.createCommand}) : this.pods.lookup(spec.pod)
    const joined: ContainerSpec = {...spec, pod: pod.id, ...(fresh ? {hostname: undefined} : {})}
    if (!fresh && spec.hostname !== undefined && pod.infraId && pod.share.includes('uts'))
      throw new UsageError('invalid config provided: cannot set hostname when joining the pod UTS namespace: invalid configuration')
    if (!pod.infraId) return joined
    const infra = {kind: 'container' as const, container: pod.infraId}
    if (pod.share.includes('net')) {
      if (spec.ports.length > 0) throw new UsageError('invalid config provided: published or exposed ports must be defined when the pod is created: network cannot be configured when it is shared with a pod')
      // the host's network namespace belongs to the host's user namespace: members use it directly, as Podman's do
      joined.network = this.records.get(pod.infraId)?.config.containerSpec.network.kind === 'host' ? {kind: 'host'} : infra
    }
    if (pod.share.includes('ipc')) joined.ipc = infra
    if (pod.share.includes('uts')) joined.uts = infra
    if (pod.share.includes('pid')) joined.pid = infra
    return joined
  }

  lookup(nameOrId: string): PodConfig {
    return this.pods.lookup(nameOrId)
  }

  exists(nameOrId: string): boolean {
    try {
      this.pods.lookup(nameOrId)
      return true
    } catch (err) {
      if (err instanceof NoSuchPodError) return false
      throw err
    }
  }

  private containersOf(pod: PodConfig): Container[] {
    return this.pods.containers(this.records, pod)
  }

  report(pod: PodConfig): PodReport {
    const containers = this.containersOf(pod)
    return {
      Id: pod.id,
      Name: pod.name,
      Created: pod.created,
      Status: podStatus(containers),
      Labels: pod.labels,
      InfraId: pod.infraId ?? '',
      Hostname: pod.hostname ?? '',
      SharedNamespaces: pod.share,
      Containers: containers.map((c) => ({Id: c.config.id, Names: c.config.name, Status: c.state.status})),
    }
  }

  /** The pods `names` (or all), each acted on; errors told per pod and returned. */
  private async each(
    targets: {names: string[]; all?: boolean; ignore?: boolean},
    action: (pod: PodConfig) => Promise<void>,
    events: TargetEvents,
  ): Promise<unknown[]> {
    if (targets.all && targets.names.length > 0) throw new UsageError('when using the --all switch, you may not pass any pod names or IDs')
    if (!targets.all && targets.names.length === 0) throw new UsageError('you must provide at least one name or id')
    const errors: unknown[] = []
    const pods = targets.all ? this.pods.list().map((p) => ({pod: p as PodConfig | undefined, name: p.id})) : targets.names.map((name) => ({pod: undefined, name}))
    for (const {pod, name} of pods) {
      try {
        const p = pod ?? this.pods.lookup(name)
        await action(p)
        events.onDone?.(targets.all ? p.id : name === p.name ? p.id : p.id)
      } catch (err) {
        if (targets.ignore && err instanceof NoSuchPodError) continue
        events.onError?.(err)
        errors.push(err)
      }
    }
    return errors
  }

  /**
   * kube play --service-container: a created container from the pause image, named `name`, with
   * no network, that the pods given its id start and stop with (runtime/pod/service-container).
   */
  async createServiceContainer(name: string): Promise<string> {
    const {image, name: imageName} = await ensurePauseImage(this.store, this.registries)
    const spec = {...parseContainerSpec({name, network: 'none'}), isService: true}
    const {container} = await createContainer(this.store, this.records, image, imageName, spec)
    return container.config.id
  }

  /** The names given, or with --latest the latest pod's ID (Podman's refusals of --latest with names or --all). */
  withLatest(names: string[], latest: boolean | undefined, all: boolean | undefined): string[] {
    if (!latest) return names
    if (names.length > 0) throw new UsageError('--latest and containers cannot be used together')
    if (all) throw new UsageError('--all and --latest cannot be used together')
    return [this.pods.latest().id]
  }

  /** `pod start`: its service container, then the infra container, then the others. */
  async start(targets: {names: string[]; all?: boolean}, events: TargetEvents = {}): Promise<unknown[]> {
    return await this.each(targets, async (pod) => {
      await this.startService(pod)
      for (const c of this.containersOf(pod)) await startDetachedOnce(this.store, this.records, c.config.id)
    }, events)
  }

  private async startService(pod: PodConfig): Promise<void> {
    if (pod.serviceContainerId && this.records.get(pod.serviceContainerId)) await startDetachedOnce(this.store, this.records, pod.serviceContainerId)
  }

  /**
   * `pod pause`/`pod unpause`: each of its running (paused) containers, the infra container
   * included, paused (continued), each on its own: one that fails does not keep the others
   * from it; then the pod's event, as Podman's.
   */
  async setPaused(paused: boolean, targets: {names: string[]; all?: boolean}, events: TargetEvents = {}): Promise<unknown[]> {
    const {pauseContainer, unpauseContainer} = await import('../runtime/container/pause')
    return await this.each(targets, async (pod) => {
      const errors: unknown[] = []
      for (const c of this.containersOf(pod)) {
        if (c.state.status !== (paused ? 'running' : 'paused')) continue
        try {
          await (paused ? pauseContainer(this.records, c) : unpauseContainer(this.records, c))
          await this.events?.container(c.config, paused ? 'pause' : 'unpause')
        } catch (err) {
          errors.push(err)
        }
      }
      await this.events?.pod(paused ? 'pause' : 'unpause', pod.id, pod.name)
      // Podman prints each container's error; tspod's pods report one error a pod, the first
      if (errors.length > 0) throw errors[0]
    }, events)
  }

  /** `pod stop`: the other containers first, the infra container last; paused ones are left, as Podman's. */
  async stop(targets: {names: string[]; all?: boolean; ignore?: boolean; timeout?: number}, events: TargetEvents = {}): Promise<unknown[]> {
    return await this.each(targets, async (pod) => {
      for (const c of this.containersOf(pod).reverse()) if (c.state.status !== 'paused') await stopContainer(this.records, c, targets.timeout ?? c.config.stopTimeout)
      await stopServiceIfDone(this.records, pod.serviceContainerId)
    }, events)
  }

  async kill(targets: {names: string[]; all?: boolean; signal: NodeJS.Signals | number}, events: TargetEvents = {}): Promise<unknown[]> {
    return await this.each(targets, async (pod) => {
      // a paused container is signalled too (SIGKILL ends it), as libpod's Pod.Kill
      const running = this.containersOf(pod).filter((c) => c.state.status === 'running' || c.state.status === 'paused')
      if (running.length === 0) throw new UsageError(`pod ${pod.id} has no running containers: pod state improper`)
      for (const c of running.reverse()) await killContainer(this.records, c, targets.signal)
      await this.stopServiceOnceStopped(pod)
    }, events)
  }

  /** `pod restart`: its containers stopped and started again, paused ones left as they are (Podman's). */
  async restart(targets: {names: string[]; all?: boolean}, events: TargetEvents = {}): Promise<unknown[]> {
    return await this.each(targets, async (pod) => {
      const unpaused = (c: Container) => c.state.status !== 'paused'
      for (const c of this.containersOf(pod).reverse().filter(unpaused)) await stopContainer(this.records, c)
      await this.startService(pod)
      for (const c of this.containersOf(pod).filter(unpaused)) await startDetachedOnce(this.store, this.records, c.config.id)
    }, events)
  }

  /** `pod rm`: its containers (the infra container last) and the pod; running ones only with --force. */
  async remove(targets: {names: string[]; all?: boolean; ignore?: boolean; force?: boolean; timeout?: number}, events: TargetEvents = {}): Promise<unknown[]> {
    return await this.each(targets, (pod) => this.removePod(pod, targets), events)
  }

  async removePod(pod: PodConfig, options: {force?: boolean; timeout?: number}): Promise<void> {
    const containers = this.containersOf(pod)
    // the infra container is stopped with the pod; only its other running containers need --force
    const running = containers.filter((c) => c.config.id !== pod.infraId && hasProcesses(c.state))
    if (running.length > 0 && !options.force) {
      const [first] = running
      const status = first.state.status === 'paused' ? 'paused' : 'running'
      throw new UsageError(`pod ${pod.id} has containers that are not ready to be removed: cannot remove container ${first.config.id} as it is ${status} - running or paused containers cannot be removed without force: container state improper`)
    }
    for (const c of containers.reverse()) {
      try {
        await removeContainer(this.store, this.records, c, {force: true, timeout: options.timeout})
      } catch (err) {
        if (!(err instanceof NoSuchContainerError)) throw err
      }
    }
    this.pods.delete(pod.id)
    await this.removeServiceIfUnused(pod.serviceContainerId)
  }

  /** After `pod kill`: the service container stops once the killed containers have exited. */
  private async stopServiceOnceStopped(pod: PodConfig): Promise<void> {
    if (pod.serviceContainerId === undefined) return
    for (let i = 0; i < 50 && this.containersOf(pod).some((c) => hasProcesses(c.state)); i++) await new Promise((r) => setTimeout(r, 100))
    await stopServiceIfDone(this.records, pod.serviceContainerId)
  }

  /** The service container goes with the last pod tied to it. */
  private async removeServiceIfUnused(serviceId: string | undefined): Promise<void> {
    if (serviceId === undefined || podsOfService(this.pods, serviceId).length > 0) return
    const service = this.records.get(serviceId)
    if (service) await removeContainer(this.store, this.records, service, {force: true}).catch((err) => {
      if (!(err instanceof NoSuchContainerError)) throw err
    })
  }

  /** `pod prune`: the pods with no running container. */
  async prune(): Promise<string[]> {
    const removed: string[] = []
    for (const pod of this.pods.list()) {
      const status = podStatus(this.containersOf(pod))
      if (status === 'Running' || status === 'Degraded' || status === 'Paused') continue
      await this.removePod(pod, {force: true})
      removed.push(pod.id)
    }
    return removed
  }

  /** `pod ps`: the pods that pass the filters (src/runtime/pod/filter.ts), as Podman's --filter. */
  list(filters: string[] = []): PodReport[] {
    const matches = parsePodFilters(filters, {
      networkName: (nameOrId) => NetworkConfigs.forGraphRoot(this.store.config.graphRoot).nameOf(nameOrId),
      networksOf: (id) => {
        const infra = this.records.get(id)
        return infra ? containerNetworks(infra) : []
      },
    })
    return this.pods
      .list()
      .map((p) => this.report(p))
      .filter(matches)
  }

  /**
   * `pod top`: the processes of the pod's running containers, one pid namespace once (a shared one
   * is listed through its first container), rows in the pod's container order under one header.
   */
  async top(nameOrId: string, descriptors: string[]): Promise<TopResult> {
    const pod = this.pods.lookup(nameOrId)
    const {isRunning} = await import('../runtime/container/report')
    const {topProcesses} = await import('../runtime/top/top')
    const {pidNamespaceOf} = await import('../runtime/top/proc')
    const running = this.containersOf(pod).filter((c) => isRunning(c.state) && c.state.pid)
    if (running.length === 0) throw new TspodError(`pod top can only be used on pods with at least one running container`)
    const seen = new Set<string>()
    let result: TopResult | undefined
    for (const c of running) {
      const ns = pidNamespaceOf(c.state.pid!)
      if (ns === undefined || seen.has(ns)) continue
      seen.add(ns)
      const one = topProcesses(c.state.pid!, descriptors.length > 0 ? descriptors : undefined)
      result = result ? {headers: result.headers, rows: [...result.rows, ...one.rows]} : one
    }
    if (!result) throw new TspodError(`pod top can only be used on pods with at least one running container`)
    return result
  }

  /**
   * `pod stats`: the stats of every container of the pods (every pod with `all`, the latest with
   * `latest`), each sampled anew: CPU % counts from the container's start, as in Podman.
   */
  async stats(names: string[], options: {all?: boolean; latest?: boolean}): Promise<{podId: string; stats: ContainerStats[]}[]> {
    let pods: PodConfig[]
    try {
      pods = options.all ? this.pods.list() : options.latest ? [this.pods.latest()] : names.map((n) => this.pods.lookup(n))
    } catch (err) {
      throw new TspodError(`unable to get list of pods: ${(err as Error).message}`)
    }
    const {StatsSampler} = await import('../runtime/stats/stats')
    const sampler = new StatsSampler()
    const running = this.records.list()
    return pods.map((pod) => ({podId: pod.id, stats: sampler.sample(this.containersOf(pod), running)}))
  }

  /**
   * `pod logs`: the IDs of the pod's containers whose logs are shown (the infra container's are
   * not), or the one named by --container, which must be in the pod.
   */
  logTargets(nameOrId: string, container?: string): string[] {
    const pod = this.pods.lookup(nameOrId)
    const members = this.containersOf(pod).filter((c) => c.config.id !== pod.infraId)
    if (container === undefined) return members.map((c) => c.config.id)
    const wanted = members.find((c) => c.config.name === container) ?? members.find((c) => c.config.id.startsWith(container))
    if (!wanted) throw new NoSuchContainerError(`container ${container} is not in pod ${nameOrId}: no such container`)
    return [wanted.config.id]
  }

  /** pod inspect's InfraConfig: what the infra container was made with. */
  private infraConfig(pod: PodConfig): Record<string, unknown> {
    const infra = pod.infraId ? this.records.get(pod.infraId) : undefined
    const spec = infra?.config.containerSpec
    const portBindings: Record<string, {HostIp: string; HostPort: string}[]> = {}
    for (const p of infra?.config.ports ?? []) (portBindings[`${p.containerPort}/${p.protocol}`] ??= []).push(goStruct({HostIp: p.hostIP, HostPort: String(p.hostPort)}))
    return {
      PortBindings: portBindings,
      HostNetwork: spec?.network.kind === 'host',
      StaticIP: '',
      StaticMAC: '',
      NoManageResolvConf: false,
      DNSServer: spec?.dns ?? null,
      DNSSearch: spec?.dnsSearch ?? null,
      DNSOption: spec?.dnsOption ?? null,
      NoManageHosts: spec?.noHosts ?? false,
      HostAdd: null,
      Networks: spec?.network.kind === 'bridge' ? Object.keys(spec.network.networks) : null,
      NetworkOptions: null,
      pid_ns: 'private',
      userns: pod.userns ?? 'host',
      uts_ns: 'private',
    }
  }

  /** `pod inspect`, in Podman's field names. */
  inspect(nameOrId: string): Record<string, unknown> {
    const pod = this.pods.lookup(nameOrId)
    const report = this.report(pod)
    return {
      Id: pod.id,
      Name: pod.name,
      Created: pod.created,
      ...(pod.createCommand ? {CreateCommand: pod.createCommand} : {}),
      State: report.Status,
      Hostname: pod.hostname ?? '',
      Labels: pod.labels,
      ExitPolicy: pod.exitPolicy ?? 'continue',
      CreateInfra: pod.infraId !== undefined,
      InfraContainerId: pod.infraId ?? '',
      InfraContainerID: pod.infraId ?? '',
      ...(pod.infraId ? {InfraConfig: this.infraConfig(pod)} : {}),
      SharedNamespaces: pod.share,
      NumContainers: report.Containers.length,
      Containers: report.Containers.map((c) => goStruct({Id: c.Id, Name: c.Names, State: c.Status})),
    }
  }
}
