import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class PodStats extends ContainerCommand {
  static summary = 'Display a live stream of resource usage statistics for the containers in one or more pods'
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Provide stats for all pods'}),
    format: Flags.string({description: 'Pretty-print container statistics to JSON or using a Go template'}),
    'no-reset': Flags.boolean({description: 'Disable resetting the screen when streaming'}),
    'no-stream': Flags.boolean({description: 'Disable streaming stats and only pull the first result'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(PodStats)
    const pods = await this.engine(flags).pods()
    pods.stats()
  }
}
