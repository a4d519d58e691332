import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class NetworkConnect extends TspodCommand {
  static summary = 'Add container to a network'
  static description =
    'The container joins the network: a running one gets an interface on it at once (and its name in the network\'s DNS), a stopped one at its next start. Already connected: nothing happens.'
  static examples = ['<%= config.bin %> network connect --alias web1 mynet ctr1']
  static args = {
    network: Args.string({required: true, description: 'network'}),
    container: Args.string({required: true, description: 'container'}),
  }
  static flags = {
    alias: Flags.string({multiple: true, multipleNonGreedy: true, description: 'network scoped alias for container'}),
    ip: Flags.string({description: 'set a static ipv4 address for this container network'}),
    ip6: Flags.string({description: 'set a static ipv6 address for this container network'}),
    'mac-address': Flags.string({description: 'set a static mac address for this container network'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkConnect)
    const networks = await this.engine(flags).networks()
    await networks.connect(args.network, args.container, {aliases: flags.alias, ip: flags.ip, ip6: flags.ip6, mac: flags['mac-address']})
  }
}
