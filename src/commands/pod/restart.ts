import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodRestart extends ContainerCommand {
  static summary = 'Restart one or more pods'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Restart all pods'}),

  }

  async run(): Promise<void> {
    const parsed = await this.parse(PodRestart)
    const {flags} = parsed
    const pods = await this.engine(flags).pods()
    this.exitAfter(await pods.restart({names: this.positionalArgs(parsed), all: flags.all}, this.targetEvents()))
  }
}
