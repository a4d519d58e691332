import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodPause extends ContainerCommand {
  static summary = 'Pause one or more pods'
  static description = 'The pod name or ID can be used. All running containers within each specified pod will then be paused (see `tspod pause`: tspod stops their processes with SIGSTOP).'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Pause all running pods'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod tspod is aware of'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(PodPause)
    const {flags} = parsed
    const pods = await this.engine(flags).pods()
    const names = pods.withLatest(this.positionalArgs(parsed), flags.latest, flags.all)
    this.exitAfter(await pods.setPaused(true, {names, all: flags.all}, this.targetEvents()))
  }
}
