import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {splitKeyValues} from '../../engine/networks'

const multi = {multiple: true, multipleNonGreedy: true} as const

export default class NetworkCreate extends TspodCommand {
  static summary = 'Create networks for containers and pods'
  static description =
    'A bridge or macvlan network as a netavark config (<graph root>/networks/NAME.json, as Podman 4 writes it). Without --subnet the first free /24 ' +
    'of 10.89.0.0/16 upwards is used (Podman\'s default subnet pools); --ipv6 adds a random fd00::/8 /64. Containers on it run in the rootless network namespace.'
  static examples = ['<%= config.bin %> network create podman1', '<%= config.bin %> network create --subnet 192.5.0.0/16 --label env=dev mynet']
  static args = {name: Args.string({description: 'network name'})}
  static flags = {
    'disable-dns': Flags.boolean({description: 'disable dns plugin'}),
    driver: Flags.string({char: 'd', default: 'bridge', description: 'driver to manage the network'}),
    gateway: Flags.string({...multi, description: 'IPv4 or IPv6 gateway for the subnet'}),
    internal: Flags.boolean({description: 'restrict external access from this network'}),
    'ip-range': Flags.string({...multi, description: 'allocate container IP from range'}),
    'ipam-driver': Flags.string({description: 'IP Address Management Driver'}),
    ipv6: Flags.boolean({description: 'enable IPv6 networking'}),
    label: Flags.string({...multi, description: 'set metadata on a network'}),
    macvlan: Flags.string({hidden: true, description: 'create a Macvlan connection based on this device'}),
    opt: Flags.string({char: 'o', ...multi, description: 'Set driver specific options'}),
    subnet: Flags.string({...multi, description: 'subnets in CIDR format'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkCreate)
    if (flags.macvlan) this.printWarning('The --macvlan option is deprecated, use `--driver macvlan --opt parent=<device>` instead')
    const networks = await this.engine(flags).networks()
    const network = await networks.create({
      name: args.name,
      driver: flags.driver,
      subnets: flags.subnet ?? [],
      gateways: flags.gateway ?? [],
      ipRanges: flags['ip-range'] ?? [],
      internal: flags.internal,
      disableDns: flags['disable-dns'],
      ipv6: flags.ipv6,
      labels: splitKeyValues(flags.label ?? [], 'label'),
      options: splitKeyValues(flags.opt ?? [], 'option'),
      ipamDriver: flags['ipam-driver'],
      macvlanParent: flags.macvlan,
    })
    this.print(network.name)
  }
}
