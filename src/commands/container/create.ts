import {Args} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {createFlags} from '../../cli/container-flags'
import {createInputOf} from '../../cli/create-input'
import {pullReporter} from '../../cli/pull-progress'

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
    const input = createInputOf(flags, argv, this.interruptSignal(), this.specWarning)
    const {container, warnings} = await this.engine(flags).create(input, {pullProgress: () => pullReporter(flags.quiet ?? false), onWarning: (w) => this.printWarning(w)})
    warnings.forEach((w) => this.printWarning(w))
    this.print(container.config.id)
  }
}
