import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodStart extends ContainerCommand {
  static summary = 'Start one or more pods'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Start all pods'}),

  }

  async run(): Promise<void> {
    const parsed = await this.parse(PodStart)
    const {flags} = parsed
    const pods = await this.engine(flags).pods()
    this.exitAfter(await pods.start({names: this.positionalArgs(parsed), all: flags.all}, this.targetEvents()))
  }
}
