import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class NetworkDisconnect extends TspodCommand {
  static summary = 'Disconnect a container from a network'
  static description = 'A running container loses its interface on the network at once (and its names in the network\'s DNS); a stopped one is no longer attached at its next start.'
  static examples = ['<%= config.bin %> network disconnect mynet ctr1']
  static args = {
    network: Args.string({required: true, description: 'network'}),
    container: Args.string({required: true, description: 'container'}),
  }
  static flags = {
    // accepted as Podman accepts it: its disconnect does the same with or without it
    force: Flags.boolean({char: 'f', description: 'force removal of container from network'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkDisconnect)
    await (await this.engine(flags).networks()).disconnect(args.network, args.container)
  }
}
