import {Args, Flags} from '@oclif/core'

import {readCidFiles} from '../../cli/cid-files'
import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class Stop extends ContainerCommand {
  static summary = 'Stop one or more containers'
  static description = 'Sends the stop signal (the image\'s StopSignal, else SIGTERM), then SIGKILL after the timeout.'
  static aliases = ['stop']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    all: Flags.boolean({char: 'a', description: 'Stop all running containers'}),
    latest: latestFlag,
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified container is missing'}),
    // --timeout: Podman's older name for it
    time: Flags.integer({char: 't', aliases: ['timeout'], min: 0, description: 'Seconds to wait for stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Stop)
    const {flags} = parsed
    const argv = await this.withLatest(this.engine(flags), [...this.positionalArgs(parsed), ...readCidFiles(flags.cidfile)], flags.latest, flags.all)
    if (argv.length === 0 && !flags.all && (flags.filter ?? []).length === 0) throw new UsageError('you must provide at least one name or id')
    const targets = {names: argv, all: flags.all, filters: flags.filter, ignore: flags.ignore, timeout: flags.time}
    const errors = await this.engine(flags).stop(targets, {...this.targetEvents(), onWarning: (w) => this.printWarning(w)})
    this.exitAfter(errors)
  }
}
