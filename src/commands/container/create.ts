import {Args} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {createFlags, createFromArgv, printWarnings} from '../../cli/container-flags'

export default class Create extends ContainerCommand {
  static summary = 'Create but do not start a container'
  static aliases = ['create']
  static strict = false
  static args = {image: Args.string({required: true, description: 'image'}), command: Args.string({description: 'command and arguments'})}
  static flags = createFlags

  async run(): Promise<void> {
    const parsed = await this.parse(Create)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const {store, records} = await this.openContainers(flags)
    const {container, warnings} = await createFromArgv(store, records, this.registries(), flags, argv, this.interruptSignal())
    printWarnings(warnings)
    this.print(container.config.id)
  }
}
