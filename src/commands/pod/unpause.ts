import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodUnpause extends ContainerCommand {
  static summary = 'Unpause one or more pods'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {all: Flags.boolean({char: 'a', description: 'Unpause all paused pods'})}

  async run(): Promise<void> {
    const parsed = await this.parse(PodUnpause)
    const pods = await this.engine(parsed.flags).pods()
    this.exitAfter(await pods.unpause({names: this.positionalArgs(parsed), all: parsed.flags.all}))
  }
}
