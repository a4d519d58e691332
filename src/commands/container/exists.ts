import {Args} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {NoSuchContainerError} from '../../runtime/container/records'

export default class ContainerExists extends ContainerCommand {
  static summary = 'Check if a container exists in local storage'
  static description = 'Exit status 0 when it exists, 1 when it does not, 125 on other errors.'
  static args = {container: Args.string({required: true, description: 'container'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ContainerExists)
    const {records} = await this.openContainers(flags)
    try {
      records.lookup(args.container)
    } catch (err) {
      if (err instanceof NoSuchContainerError) this.exit(1)
      throw err
    }
  }
}
