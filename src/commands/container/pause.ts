import {Args, Flags} from '@oclif/core'

import {readCidFiles} from '../../cli/cid-files'
import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class Pause extends ContainerCommand {
  static summary = 'Pause all the processes in one or more containers'
  static description =
    'Pauses one or more running containers. The container name or ID can be used. Podman freezes the container\'s cgroup; tspod stops every process of the container with SIGSTOP (repeated until no new process appears), so a paused process shows state T (stopped) in ps.'
  static aliases = ['pause']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Pause all running containers'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    latest: latestFlag,
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Pause)
    const {flags} = parsed
    const names = await this.withLatest(this.engine(flags), [...this.positionalArgs(parsed), ...readCidFiles(flags.cidfile)], flags.latest, flags.all)
    if (names.length === 0 && !flags.all && (flags.filter ?? []).length === 0) throw new UsageError('you must provide at least one name or id')
    this.exitAfter(await this.engine(flags).pause({names, all: flags.all, filters: flags.filter}, this.targetEvents()))
  }
}
