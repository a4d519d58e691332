import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {parseSignal} from '../../cli/signal'

export default class PodKill extends ContainerCommand {
  static summary = 'Send the specified signal or SIGKILL to containers in pod'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Kill all pods'}),
    signal: Flags.string({char: 's', default: 'KILL', description: 'Signal to send to the containers in the pod'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(PodKill)
    const {flags} = parsed
    const signal = parseSignal(flags.signal)
    const pods = await this.engine(flags).pods()
    this.exitAfter(await pods.kill({names: this.positionalArgs(parsed), all: flags.all, signal}, this.targetEvents()))
  }
}
