// A container's named networks set up and torn down by netavark in the rootless netns, as
// containers/common libnetwork/netavark runs it: the network options as JSON on stdin,
// `--config <run dir> --rootless=true --aardvark-binary=...`, its status JSON on stdout. The
// addresses are allocated here (Podman's IPAM: netavark takes static IPs only), from each
// subnet's lease range or the subnet, past the gateway (ipam.ts).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import type {BridgeNetworkMode, PerNetworkOptions} from '../../../specgen/container-spec'
import type {Store} from '../../../storage/store/store'
import {pastaPidFile} from '../../container/paths'
import {resolveHostPorts} from '../host-ports'
import {stopPasta} from '../pasta'
import type {PortMapping} from '../publish'
import {Network, NetworkConfigs} from './config'
import {allocate, forgetNetwork, leasedIps, releaseContainer, withIpam} from './ipam'
import {forwardingAddress, netavarkPortMappings, retargetPortForwarder, startPortForwarder, stopPortForwarder} from './port-forwarding'
import {AARDVARK_BINARY, NETAVARK_BINARY, RootlessNetns} from './rootless-netns'

/** netavark's StatusBlock for one network */
export interface NetworkStatus {
  interfaces?: Record<string, {subnets?: {ipnet: string; gateway?: string}[]; mac_address?: string}>
  dns_server_ips?: string[]
  dns_search_domains?: string[]
}

export interface NetworkSetup {
  holderPid: number
  netnsPath: string
  status: Record<string, NetworkStatus>
  /** the published ports, host ports picked */
  ports: PortMapping[]
}

function netavarkArgs(runDir: string, verb: 'setup' | 'teardown', netns: string): string[] {
  return [NETAVARK_BINARY, '--config', runDir, '--rootless=true', `--aardvark-binary=${AARDVARK_BINARY}`, verb, netns]
}

/** netavark's JSON error as libnetwork words it: `netavark: MESSAGE`, whichever step failed. */
function netavarkError(out: {code: number; stdout: string; stderr: string}): TspodError {
  let message = out.stderr.trim() || out.stdout.trim() || `exit status ${out.code}`
  try {
    message = (JSON.parse(out.stdout) as {error?: string}).error ?? message
  } catch {
    // not its JSON error
  }
  return new TspodError(`netavark: ${message}`)
}

/** The container's addresses in netavark's status of its networks. */
function statusAddresses(status: Record<string, NetworkStatus>): string[] {
  return Object.values(status).flatMap((s) => Object.values(s.interfaces ?? {}).flatMap((i) => (i.subnets ?? []).map((subnet) => subnet.ipnet.split('/')[0])))
}

/** A removed network's address leases and last address forgotten, as Podman drops its IPAM bucket. */
export async function forgetNetworkAddresses(store: Store, name: string): Promise<void> {
  const runDir = new RootlessNetns(store).runDir
  if (!fs.existsSync(path.join(runDir, 'ipam.json'))) return
  await withIpam(runDir, (state) => forgetNetwork(state, name))
}

export class ContainerNetworks {
  readonly netns: RootlessNetns
  readonly configs: NetworkConfigs

  constructor(readonly store: Store) {
    this.netns = new RootlessNetns(store)
    this.configs = NetworkConfigs.forGraphRoot(store.config.graphRoot)
  }

  private options(container: {id: string; name: string}, mode: BridgeNetworkMode, ips: Record<string, string[]>, ports: PortMapping[] = []): unknown {
    const networks: Record<string, unknown> = {}
    const info: Record<string, Network> = {}
    for (const [name, opts] of Object.entries(mode.networks)) {
      const network = this.configs.lookup(name)
      info[name] = network
      // Podman adds the short ID as an alias on networks with DNS
      const aliases = network.dns_enabled ? [...opts.aliases, container.id.slice(0, 12)] : opts.aliases
      networks[name] = {static_ips: ips[name], aliases, interface_name: opts.interfaceName, ...(opts.staticMac ? {static_mac: opts.staticMac} : {})}
    }
    return {
      container_id: container.id,
      container_name: container.name,
      ...(ports.length > 0 ? {port_mappings: netavarkPortMappings(ports)} : {}),
      networks,
      network_info: info,
    }
  }

  /** The container's netns in the rootless netns, with an interface on each of its networks. */
  async setup(container: {id: string; name: string}, mode: BridgeNetworkMode, ports: PortMapping[] = []): Promise<NetworkSetup> {
    const runDir = this.netns.runDir
    fs.mkdirSync(runDir, {recursive: true, mode: 0o700})
    const ips = await withIpam(runDir, (state) => {
      releaseContainer(state, container.id)
      const out: Record<string, string[]> = {}
      for (const [name, opts] of Object.entries(mode.networks)) out[name] = allocate(this.configs.lookup(name), container.id, opts.staticIps, state)
      return out
    })
    let added: {holderPid: number; netnsPath: string} | undefined
    try {
      ports = await resolveHostPorts(ports)
      const input = JSON.stringify(this.options(container, mode, ips, ports))
      added = await this.netns.addContainer(container.id)
      const out = await this.netns.exec(added.holderPid, netavarkArgs(runDir, 'setup', this.netns.netnsFile(container.id)), input)
      if (out.code !== 0) throw netavarkError(out)
      const status = JSON.parse(out.stdout) as Record<string, NetworkStatus>
      if (ports.length > 0) await startPortForwarder({runDir, containerId: container.id, holderPid: added.holderPid, ports, containerIp: forwardingAddress(statusAddresses(status))})
      return {...added, status, ports}
    } catch (err) {
      await this.teardown(container, mode, {skipNetavark: added === undefined}).catch(() => undefined)
      throw err
    }
  }

  /** netavark setup or teardown of some of a running container's networks, in its netns as it is. */
  private async runOn(
    verb: 'setup' | 'teardown',
    container: {id: string; name: string},
    mode: BridgeNetworkMode,
    ips: Record<string, string[]>,
    ports: PortMapping[],
  ): Promise<Record<string, NetworkStatus>> {
    const holder = this.netns.current()
    const file = this.netns.netnsFile(container.id)
    if (!holder || !fs.existsSync(file)) throw new TspodError(`container ${container.id} has no network namespace in the rootless netns`)
    const input = JSON.stringify(this.options(container, mode, ips, ports))
    const out = await this.netns.locked(() => this.netns.exec(holder.holderPid, netavarkArgs(this.netns.runDir, verb, file), input))
    if (out.code !== 0) throw netavarkError(out)
    return verb === 'setup' ? (JSON.parse(out.stdout) as Record<string, NetworkStatus>) : {}
  }

  private leased(containerId: string, names: string[]): Promise<Record<string, string[]>> {
    return withIpam(this.netns.runDir, (state) => leasedIps(state, containerId, names))
  }

  /**
   * `network connect` of a running container: an address leased (the next free one, as Podman's
   * IPAM) and an interface set up on one more network, with its published ports for netavark
   * (aardvark-dns told its names). `others` is the status of the networks it is on already: the
   * port forwarder is pointed at the new address when it had none there.
   */
  async connect(container: {id: string; name: string}, name: string, opts: PerNetworkOptions, ports: PortMapping[], others: Record<string, NetworkStatus>): Promise<NetworkStatus> {
    const network = this.configs.lookup(name)
    const ips = await withIpam(this.netns.runDir, (state) => ({[name]: allocate(network, container.id, opts.staticIps, state)}))
    try {
      const status = (await this.runOn('setup', container, {kind: 'bridge', networks: {[name]: opts}}, ips, ports))[name] ?? {}
      retargetPortForwarder(this.netns.runDir, container.id, statusAddresses({...others, [name]: status}))
      return status
    } catch (err) {
      await withIpam(this.netns.runDir, (state) => releaseContainer(state, container.id, name))
      throw err
    }
  }

  /**
   * `network disconnect` of a running container: its interface on that network removed (and its
   * names from aardvark-dns), the address freed; the port forwarder follows it to an address on
   * the networks left (`remaining`, their status), or refuses connections when none is left.
   */
  async disconnect(container: {id: string; name: string}, name: string, opts: PerNetworkOptions, ports: PortMapping[], remaining: Record<string, NetworkStatus>): Promise<void> {
    const ips = await this.leased(container.id, [name])
    try {
      await this.runOn('teardown', container, {kind: 'bridge', networks: {[name]: opts}}, ips, ports)
    } finally {
      retargetPortForwarder(this.netns.runDir, container.id, statusAddresses(remaining))
      await withIpam(this.netns.runDir, (state) => releaseContainer(state, container.id, name))
    }
  }

  /** `network reload`: netavark tears the container's networks down and sets them up again with the same addresses (its firewall rules restored). */
  async reload(container: {id: string; name: string}, mode: BridgeNetworkMode, ports: PortMapping[]): Promise<Record<string, NetworkStatus>> {
    const ips = await this.leased(container.id, Object.keys(mode.networks))
    const holder = this.netns.current()
    const file = this.netns.netnsFile(container.id)
    if (!holder || !fs.existsSync(file)) throw new TspodError(`container ${container.id} has no network namespace in the rootless netns`)
    const input = JSON.stringify(this.options(container, mode, ips, ports))
    return this.netns.locked(async () => {
      await this.netns.exec(holder.holderPid, netavarkArgs(this.netns.runDir, 'teardown', file), input)
      const out = await this.netns.exec(holder.holderPid, netavarkArgs(this.netns.runDir, 'setup', file), input)
      if (out.code !== 0) throw netavarkError(out)
      return JSON.parse(out.stdout) as Record<string, NetworkStatus>
    })
  }

  /** netavark teardown, the netns removed and the addresses freed; the rootless netns ends with its last container. */
  async teardown(container: {id: string; name: string}, mode: BridgeNetworkMode, options: {skipNetavark?: boolean} = {}): Promise<void> {
    const runDir = this.netns.runDir
    const ips = await withIpam(runDir, (state) => leasedIps(state, container.id, Object.keys(mode.networks)))
    stopPortForwarder(runDir, container.id)
    let failure: unknown
    await this.netns.removeContainer(container.id, async (holderPid, file) => {
      if (options.skipNetavark || !fs.existsSync(file)) return
      let input: string
      try {
        input = JSON.stringify(this.options(container, mode, ips))
      } catch (err) {
        failure = err // a network removed meanwhile: nothing to tell netavark about it
        return
      }
      const out = await this.netns.exec(holderPid, netavarkArgs(runDir, 'teardown', file), input)
      if (out.code !== 0) failure = netavarkError(out)
    })
    await withIpam(runDir, (state) => releaseContainer(state, container.id))
    if (failure) throw failure
  }
}

/**
 * The teardown a container still owes after its end, by whoever sees the end last (a detached
 * container's cleanup step, rm): nothing when its netns is gone already.
 */
export async function releaseContainerNetworks(store: Store, container: {config: {id: string; name: string; containerSpec: {network: {kind: string}}}}): Promise<void> {
  const mode = container.config.containerSpec.network
  // pasta attached by pid does not end with the namespace
  if (mode.kind === 'pasta') return stopPasta(pastaPidFile(store, container.config.id))
  if (mode.kind !== 'bridge') return
  const networks = new ContainerNetworks(store)
  if (!fs.existsSync(networks.netns.netnsFile(container.config.id))) return
  await networks.teardown({id: container.config.id, name: container.config.name}, mode as BridgeNetworkMode)
}
