import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class NetworkExists extends TspodCommand {
  static summary = 'network exists'
  static description = 'If the named network exists, exit 0, otherwise 1.'
  static examples = ['<%= config.bin %> network exists net1']
  static args = {network: Args.string({required: true, description: 'network name'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkExists)
    if (!(await (await this.engine(flags).networks()).exists(args.network))) this.exit(1)
  }
}
