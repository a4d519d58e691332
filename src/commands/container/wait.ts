import {Args} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class Wait extends ContainerCommand {
  static summary = 'Block on one or more containers'
  static description = 'Waits until each container stops, then prints its exit code.'
  static aliases = ['wait']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}

  async run(): Promise<void> {
    const parsed = await this.parse(Wait)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if (names.length === 0) throw new UsageError('you must provide at least one container name or id')
    const {onError} = this.targetEvents()
    const errors = await this.engine(flags).wait(names, {onExitCode: (code) => this.print(String(code)), onError})
    this.exitAfter(errors)
  }
}
