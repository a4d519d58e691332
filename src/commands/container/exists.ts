import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class ContainerExists extends ContainerCommand {
  static summary = 'Check if a container exists in local storage'
  static description = 'Exit status 0 when it exists, 1 when it does not, 125 on other errors.'
  static args = {container: Args.string({required: true, description: 'container'})}
  static flags = {
    external: Flags.boolean({description: 'Check external storage containers as well as tspod containers'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ContainerExists)
    if (!(await this.engine(flags).containerExists(args.container, {external: flags.external}))) this.exit(1)
  }
}
