// The network verbs of the Engine: create, ls, inspect, rm, prune, exists, on netavark configs
// in the store's networks dir (src/runtime/network/netavark).
import {TspodError, UsageError} from '../errors'
import type {Container} from '../runtime/container/config'
import {withContainerLock} from '../runtime/container/lock'
import {isRunning} from '../runtime/container/report'
import type {BridgeNetworkMode, PerNetworkOptions} from '../specgen/container-spec'
import {checkIp, checkMac, networkModeName} from '../specgen/network'
import type {ContainerRecords} from '../runtime/container/records'
import {DEFAULT_NETWORK, Network, NetworkConfigs, NetworkInUseError, NoSuchNetworkError} from '../runtime/network/netavark/config'
import {CreateNetworkOptions, buildNetwork} from '../runtime/network/netavark/create'
import {filterNetworks, parseNetworkFilters} from '../runtime/network/netavark/filter'
import type {Store} from '../storage/store/store'

/** A container's named networks; another network mode cannot be connected, as Podman says. */
function bridgeModeOf(c: Container): BridgeNetworkMode {
  const mode = c.config.containerSpec.network
  if (mode.kind !== 'bridge') throw new TspodError(`"${networkModeName(mode)}" is not supported: invalid network mode`)
  return mode
}

/** The names of the networks a container is on. */
export function containerNetworks(container: Container): string[] {
  const mode = container.config.containerSpec.network
  return mode.kind === 'bridge' ? Object.keys(mode.networks) : []
}

export class NetworkEngine {
  readonly configs: NetworkConfigs

  constructor(
    readonly store: Store,
    private readonly records: () => Promise<ContainerRecords>,
    /** rm -f of the containers using a network (the lifecycle's rm) */
    private readonly removeContainers: (ids: string[], timeout?: number) => Promise<unknown[]>,
  ) {
    this.configs = NetworkConfigs.forGraphRoot(store.config.graphRoot)
  }

  async create(options: CreateNetworkOptions & {ignore?: boolean}): Promise<Network> {
    return this.configs.locked('exclusive', () => {
      const existing = this.configs.list()
      const found = options.name !== undefined && options.ignore ? existing.find((n) => n.name === options.name) : undefined
      if (found) return found
      const network = buildNetwork(options, existing)
      this.configs.write(network)
      return network
    })
  }

  async list(filters: string[]): Promise<Network[]> {
    const parsed = parseNetworkFilters(filters)
    const networks = await this.configs.locked('shared', () => this.configs.list())
    const inUse = parsed.needsUsage ? await this.usage() : new Map<string, string[]>()
    // by name, as Podman lists them
    return filterNetworks(networks, parsed, (name) => (inUse.get(name) ?? []).length > 0).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  async inspect(names: string[]): Promise<{networks: Network[]; errors: TspodError[]}> {
    const all = await this.configs.locked('shared', () => this.configs.list())
    const networks: Network[] = []
    const errors: TspodError[] = []
    for (const name of names) {
      try {
        networks.push(this.configs.lookup(name, all))
      } catch (err) {
        if (!(err instanceof NoSuchNetworkError)) throw err
        errors.push(new TspodError(`inspecting object: network ${name}: ${err.message}`))
      }
    }
    return {networks, errors}
  }

  async exists(name: string): Promise<boolean> {
    try {
      this.configs.lookup(name)
      return true
    } catch (err) {
      if (err instanceof NoSuchNetworkError) return false
      throw err
    }
  }

  /** Container ids by the network names they are on. */
  private async usage(): Promise<Map<string, string[]>> {
    const records = await this.records()
    const usage = new Map<string, string[]>()
    for (const c of records.list()) for (const name of containerNetworks(c)) usage.set(name, [...(usage.get(name) ?? []), c.config.id])
    return usage
  }

  /**
   * `network rm`: each network, with -f its containers removed first; a network still in use
   * without -f, or the default one, is an error. Names removed go to onDone as they go.
   */
  async remove(names: string[], options: {force?: boolean; timeout?: number}, onDone: (name: string) => void): Promise<TspodError[]> {
    const errors: TspodError[] = []
    for (const nameOrId of names) {
      try {
        let network: Network
        try {
          network = this.configs.lookup(nameOrId)
        } catch (err) {
          if (err instanceof NoSuchNetworkError && options.force) continue
          throw err
        }
        if (network.name === DEFAULT_NETWORK) throw new TspodError(`default network ${DEFAULT_NETWORK} cannot be removed`)
        const users = (await this.usage()).get(network.name) ?? []
        if (users.length > 0) {
          if (!options.force) throw new NetworkInUseError(`"${network.name}" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used`)
          const failed = await this.removeContainers(users, options.timeout)
          if (failed.length > 0) throw failed[0]
        }
        await this.configs.locked('exclusive', () => this.configs.remove(network.name))
        await this.forgetAddresses(network.name)
        onDone(network.name)
      } catch (err) {
        errors.push(err instanceof TspodError ? err : new TspodError((err as Error).message, {cause: err}))
      }
    }
    return errors
  }

  /**
   * `network connect NET CTR`: the network added to the container's networks (its options as
   * --network-alias, --ip, --mac-address give them); a running container gets its interface on
   * it now. Already connected: nothing to do, as Podman 4.3.
   */
  async connect(networkName: string, nameOrId: string, options: {aliases?: string[]; ip?: string; ip6?: string; mac?: string}): Promise<void> {
    await this.withBridgeContainer(networkName, nameOrId, async (network, records, c, mode) => {
      if (mode.networks[network.name]) return
      const used = new Set(Object.values(mode.networks).map((n) => n.interfaceName))
      let index = 0
      while (used.has(`eth${index}`)) index++
      const opts: PerNetworkOptions = {
        aliases: [...(options.aliases ?? [])],
        staticIps: [options.ip, options.ip6].filter((ip): ip is string => ip !== undefined).map((ip) => checkIp(ip, ip === options.ip ? 'ip' : 'ip6')),
        interfaceName: `eth${index}`,
        ...(options.mac !== undefined ? {staticMac: checkMac(options.mac)} : {}),
      }
      if (isRunning(c.state)) {
        const {ContainerNetworks} = await import('../runtime/network/netavark/netavark')
        const status = await new ContainerNetworks(this.store).connect({id: c.config.id, name: c.config.name}, network.name, opts, c.state.ports ?? [], c.state.networks ?? {})
        records.updateRunningState(c.config.id, (state) => ({...state, networks: {...state.networks, [network.name]: status}}))
        await this.rewriteEtcFiles(records, c.config.id)
      }
      this.saveMode(records, c, {kind: 'bridge', networks: {...mode.networks, [network.name]: opts}})
    })
  }

  /** The network and the container (read again under its lock) with its bridge networks, for connect and disconnect. */
  private async withBridgeContainer(
    networkName: string,
    nameOrId: string,
    change: (network: Network, records: ContainerRecords, c: Container, mode: BridgeNetworkMode) => Promise<void>,
  ): Promise<void> {
    const network = this.configs.lookup(networkName)
    const records = await this.records()
    const found = records.lookup(nameOrId)
    await withContainerLock(this.store, found.config.id, async () => {
      const c = records.lookup(found.config.id)
      await change(network, records, c, bridgeModeOf(c))
    })
  }

  /** A running container's /etc/hosts and /etc/resolv.conf follow its networks (Podman's add/removeNameserver): a network's aardvark-dns comes and goes with it. */
  private async rewriteEtcFiles(records: ContainerRecords, id: string): Promise<void> {
    const {writeBridgeEtcFiles} = await import('../runtime/container/etc-files')
    const c = records.lookup(id)
    await writeBridgeEtcFiles(this.store, c, c.state.networks ?? {})
  }

  /** `network disconnect NET CTR`: the network taken from the container's; a running container loses its interface on it now. */
  async disconnect(networkName: string, nameOrId: string): Promise<void> {
    await this.withBridgeContainer(networkName, nameOrId, async (network, records, c, mode) => {
      const opts = mode.networks[network.name]
      if (!opts) throw new TspodError(`container ${c.config.id} is not connected to network ${network.name}`)
      if (isRunning(c.state)) {
        const {ContainerNetworks} = await import('../runtime/network/netavark/netavark')
        const remaining = {...c.state.networks}
        delete remaining[network.name]
        await new ContainerNetworks(this.store).disconnect({id: c.config.id, name: c.config.name}, network.name, opts, c.state.ports ?? [], remaining)
        records.updateRunningState(c.config.id, (state) => ({...state, networks: remaining}))
        await this.rewriteEtcFiles(records, c.config.id)
      }
      const networks = {...mode.networks}
      delete networks[network.name]
      this.saveMode(records, c, {kind: 'bridge', networks})
    })
  }

  /**
   * `network reload`: netavark sets the networks of each running container up again (its
   * firewall rules restored, as after a firewall reload), with the same addresses. Ids reloaded
   * go to onDone; a container that is not running is an error (with --all it is skipped).
   */
  async reload(namesOrIds: string[], options: {all?: boolean}, onDone: (id: string) => void): Promise<TspodError[]> {
    if (!options.all && namesOrIds.length === 0) throw new UsageError('you must provide at least one name or id')
    if (options.all && namesOrIds.length > 0) throw new UsageError('--all and containers cannot be given together')
    const records = await this.records()
    const targets = options.all ? records.list().filter((c) => isRunning(c.state) && c.config.containerSpec.network.kind === 'bridge') : []
    const errors: TspodError[] = []
    for (const nameOrId of namesOrIds)
      try {
        targets.push(records.lookup(nameOrId))
      } catch (err) {
        errors.push(err instanceof TspodError ? err : new TspodError((err as Error).message))
      }
    for (const target of targets) {
      try {
        await withContainerLock(this.store, target.config.id, async () => {
          const c = records.lookup(target.config.id)
          const mode = c.config.containerSpec.network
          if (!isRunning(c.state)) throw new TspodError('cannot reload network unless container network has been configured: container state improper')
          // as Podman's reloadContainerNetwork: only named networks are set up again; slirp4netns
          // and pasta have a namespace of tspod's making, the other modes none of it
          if (mode.kind === 'slirp4netns' || mode.kind === 'pasta') throw new TspodError(`"${mode.kind}" is not supported: invalid network mode`)
          if (mode.kind !== 'bridge') throw new TspodError(`container ${c.config.id} network is not configured, refusing to reload: container state improper`)
          const {ContainerNetworks} = await import('../runtime/network/netavark/netavark')
          // the same MAC addresses as well as the same addresses, as Podman's reload keeps them
          const networks = Object.fromEntries(
            Object.entries(mode.networks).map(([name, opts]) => [name, {...opts, staticMac: opts.staticMac ?? c.state.networks?.[name]?.interfaces?.[opts.interfaceName]?.mac_address}]),
          )
          const status = await new ContainerNetworks(this.store).reload({id: c.config.id, name: c.config.name}, {...mode, networks}, c.state.ports ?? [])
          records.updateRunningState(c.config.id, (state) => ({...state, networks: status}))
        })
        onDone(target.config.id)
      } catch (err) {
        errors.push(err instanceof TspodError ? err : new TspodError((err as Error).message, {cause: err}))
      }
    }
    return errors
  }

  /** A removed network's IPAM leases and last address: one made again under its name starts from its first address, as in Podman. */
  private async forgetAddresses(name: string): Promise<void> {
    const {forgetNetworkAddresses} = await import('../runtime/network/netavark/netavark')
    await forgetNetworkAddresses(this.store, name)
  }

  private saveMode(records: ContainerRecords, c: Container, network: BridgeNetworkMode): void {
    records.replaceConfig({...c.config, containerSpec: {...c.config.containerSpec, network}})
  }

  /** `network prune`: every network but the default one that no container uses (and that passes the filters). */
  async prune(filters: string[]): Promise<{removed: string[]; errors: TspodError[]}> {
    const parsed = parseNetworkFilters(filters, {prune: true})
    const usage = await this.usage()
    const networks = filterNetworks(this.configs.list(), parsed, () => false).filter((n) => n.name !== DEFAULT_NETWORK && !usage.has(n.name))
    const removed: string[] = []
    await this.configs.locked('exclusive', () => {
      for (const n of networks) {
        this.configs.remove(n.name)
        removed.push(n.name)
      }
    })
    for (const name of removed) await this.forgetAddresses(name)
    return {removed, errors: []}
  }
}

export function splitKeyValues(list: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of list) {
    const eq = item.indexOf('=')
    const key = eq < 0 ? item : item.slice(0, eq)
    if (key === '') throw new UsageError(`invalid ${what} ${JSON.stringify(item)}: the key is empty`)
    out[key] = eq < 0 ? '' : item.slice(eq + 1)
  }
  return out
}
