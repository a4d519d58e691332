import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodUnpause extends ContainerCommand {
  static summary = 'Unpause one or more pods'
  static description = 'The pod name or ID can be used. All paused containers in each specified pod are unpaused (SIGCONT to their processes).'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Unpause all running pods'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod tspod is aware of'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(PodUnpause)
    const {flags} = parsed
    const pods = await this.engine(flags).pods()
    const names = pods.withLatest(this.positionalArgs(parsed), flags.latest, flags.all)
    this.exitAfter(await pods.setPaused(false, {names, all: flags.all}, this.targetEvents()))
  }
}
