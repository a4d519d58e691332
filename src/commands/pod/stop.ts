import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodStop extends ContainerCommand {
  static summary = 'Stop one or more pods'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Stop all pods'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified pod is missing'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for pod stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(PodStop)
    const {flags} = parsed
    const pods = await this.engine(flags).pods()
    this.exitAfter(await pods.stop({names: this.positionalArgs(parsed), all: flags.all, ignore: flags.ignore, timeout: flags.time}, this.targetEvents()))
  }
}
