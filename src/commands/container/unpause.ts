import {Args, Flags} from '@oclif/core'

import {readCidFiles} from '../../cli/cid-files'
import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class Unpause extends ContainerCommand {
  static summary = 'Unpause the processes in one or more containers'
  static description = 'Unpauses one or more previously paused containers (SIGCONT to each of their processes). The container name or ID can be used.'
  static aliases = ['unpause']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Unpause all paused containers'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    latest: latestFlag,
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Unpause)
    const {flags} = parsed
    const names = await this.withLatest(this.engine(flags), [...this.positionalArgs(parsed), ...readCidFiles(flags.cidfile)], flags.latest, flags.all)
    if (names.length === 0 && !flags.all && (flags.filter ?? []).length === 0) throw new UsageError('you must provide at least one name or id')
    this.exitAfter(await this.engine(flags).unpause({names, all: flags.all, filters: flags.filter}, this.targetEvents()))
  }
}
