// Network configs as Podman 4 keeps them for netavark (containers/common libnetwork/netavark):
// one `<name>.json` per network in the store's networks dir, indented as Podman writes them,
// under netavark.lock. The default network `podman` is built in and never written.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {ErrorClass, TspodError} from '../../../errors'
import {withLock} from '../../../storage/store/lockfile'

export interface NetworkSubnet {
  subnet: string
  gateway?: string
  lease_range?: {start_ip?: string; end_ip?: string}
}

/** containers/common types.Network, with its JSON keys and their order. */
export interface Network {
  name: string
  id: string
  driver: string
  network_interface?: string
  created: string
  subnets?: NetworkSubnet[]
  ipv6_enabled: boolean
  internal: boolean
  dns_enabled: boolean
  labels?: Record<string, string>
  options?: Record<string, string>
  ipam_options?: Record<string, string>
}

export const DEFAULT_NETWORK = 'podman'
export const DEFAULT_SUBNET = '10.88.0.0/16'
export const DEFAULT_INTERFACE = 'podman0'

export class NoSuchNetworkError extends TspodError {
  override readonly errorClass: ErrorClass = 'NoSuchObject'

  constructor(readonly nameOrId: string) {
    super(`unable to find network with name or ID ${nameOrId}: network not found`)
  }
}

export class NetworkInUseError extends TspodError {
  override readonly errorClass: ErrorClass = 'InUse'
}

/** Podman's JSON for network configs and `network inspect`: five spaces. */
export function networkJson(data: unknown): string {
  return JSON.stringify(data, null, 5)
}

/** The default network as Podman builds it: its ID is the sha256 of its name, created "now". */
export function defaultNetwork(): Network {
  return {
    name: DEFAULT_NETWORK,
    id: crypto.createHash('sha256').update(DEFAULT_NETWORK).digest('hex'),
    driver: 'bridge',
    network_interface: DEFAULT_INTERFACE,
    created: new Date().toISOString(),
    subnets: [{subnet: DEFAULT_SUBNET, gateway: '10.88.0.1'}],
    ipv6_enabled: false,
    internal: false,
    dns_enabled: false,
    ipam_options: {driver: 'host-local'},
  }
}

/** Go's time.Time JSON (RFC 3339 with nanoseconds) of now, as Podman writes `created`. */
export function createdNow(): string {
  const now = new Date()
  const nanos = BigInt(now.getMilliseconds()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n)
  const fraction = nanos.toString().padStart(9, '0').replace(/0+$/, '')
  return `${now.toISOString().slice(0, 19)}${fraction ? '.' + fraction : ''}Z`
}

export class NetworkConfigs {
  constructor(readonly dir: string) {}

  static forGraphRoot(graphRoot: string): NetworkConfigs {
    return new NetworkConfigs(path.join(graphRoot, 'networks'))
  }

  private get lockFile(): string {
    return path.join(this.dir, 'netavark.lock')
  }

  /** `action` under the configs' lock (exclusive when it writes). */
  async locked<T>(mode: 'shared' | 'exclusive', action: () => Promise<T> | T): Promise<T> {
    fs.mkdirSync(this.dir, {recursive: true, mode: 0o700})
    return withLock(this.lockFile, mode, () => action())
  }

  /** Every network, the default one first, then the stored ones by name; broken files are skipped as Podman does. */
  list(): Network[] {
    const stored: Network[] = []
    let names: string[] = []
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    for (const file of names.sort()) {
      try {
        const network = JSON.parse(fs.readFileSync(path.join(this.dir, file), 'utf8')) as Network
        if (typeof network.name === 'string' && network.name + '.json' === file && typeof network.id === 'string') stored.push(network)
      } catch {
        // Podman warns and skips a config it cannot read
      }
    }
    return stored.some((n) => n.name === DEFAULT_NETWORK) ? stored : [defaultNetwork(), ...stored]
  }

  /** By full name, else full ID, else a unique ID prefix, as libnetwork's getNetwork. */
  lookup(nameOrId: string, networks = this.list()): Network {
    const byName = networks.find((n) => n.name === nameOrId)
    if (byName) return byName
    const byId = networks.filter((n) => n.id.startsWith(nameOrId))
    if (byId.length === 1 && nameOrId !== '') return byId[0]
    if (byId.length > 1) throw new TspodError(`more than one result for network ID ${nameOrId}`)
    throw new NoSuchNetworkError(nameOrId)
  }

  /** A network's name by its name or ID, undefined when there is no such network (a filter's value). */
  nameOf(nameOrId: string): string | undefined {
    try {
      return this.lookup(nameOrId).name
    } catch (err) {
      if (err instanceof NoSuchNetworkError) return undefined
      throw err
    }
  }

  write(network: Network): void {
    fs.mkdirSync(this.dir, {recursive: true, mode: 0o700})
    const file = path.join(this.dir, `${network.name}.json`)
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, networkJson(network), {mode: 0o644})
    fs.renameSync(tmp, file)
  }

  remove(name: string): void {
    fs.rmSync(path.join(this.dir, `${name}.json`), {force: true})
  }
}
