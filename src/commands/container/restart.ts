import {Args, Flags} from '@oclif/core'

import {readCidFiles} from '../../cli/cid-files'
import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class Restart extends ContainerCommand {
  static summary = 'Restart one or more containers'
  static aliases = ['restart']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    all: Flags.boolean({char: 'a', description: 'Restart all non-running containers'}),
    latest: latestFlag,
    running: Flags.boolean({description: 'Restart only running containers'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Restart)
    const {flags} = parsed
    const argv = await this.withLatest(this.engine(flags), [...this.positionalArgs(parsed), ...readCidFiles(flags.cidfile)], flags.latest, flags.all)
    if (argv.length === 0 && !flags.all && !flags.running && (flags.filter ?? []).length === 0) throw new UsageError('you must provide at least one name or id')
    const targets = {names: argv, all: flags.all, filters: flags.filter, running: flags.running, timeout: flags.time}
    const errors = await this.engine(flags).restart(targets, {...this.targetEvents(), onWarning: (w) => this.printWarning(w)})
    this.exitAfter(errors)
  }
}
