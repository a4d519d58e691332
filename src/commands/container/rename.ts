import {Args} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class Rename extends ContainerCommand {
  static summary = 'Rename an existing container'
  static aliases = ['rename']
  static args = {container: Args.string({required: true, description: 'container'}), name: Args.string({required: true, description: 'new name'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Rename)
    await this.engine(flags).rename(args.container, args.name)
  }
}
