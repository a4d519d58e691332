import {Args, Flags} from '@oclif/core'

import {readCidFiles} from '../../cli/cid-files'
import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {parseSignal} from '../../cli/signal'
import {UsageError} from '../../engine'

export default class Kill extends ContainerCommand {
  static summary = 'Kill one or more running containers with a specific signal'
  static aliases = ['kill']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    all: Flags.boolean({char: 'a', description: 'Signal all running containers'}),
    latest: latestFlag,
    signal: Flags.string({char: 's', default: 'KILL', description: 'Signal to send to the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Kill)
    const {flags} = parsed
    const sig = parseSignal(flags.signal)
    const argv = await this.withLatest(this.engine(flags), [...this.positionalArgs(parsed), ...readCidFiles(flags.cidfile)], flags.latest, flags.all)
    if (argv.length === 0 && !flags.all) throw new UsageError('you must provide at least one name or id')
    const errors = await this.engine(flags).kill({names: argv, all: flags.all, signal: sig}, this.targetEvents())
    this.exitAfter(errors)
  }
}
