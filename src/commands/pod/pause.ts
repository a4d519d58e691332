import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodPause extends ContainerCommand {
  static summary = 'Pause one or more pods'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {all: Flags.boolean({char: 'a', description: 'Pause all running pods'})}

  async run(): Promise<void> {
    const parsed = await this.parse(PodPause)
    const pods = await this.engine(parsed.flags).pods()
    this.exitAfter(await pods.pause({names: this.positionalArgs(parsed), all: parsed.flags.all}, this.targetEvents()))
  }
}
