import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class Init extends ContainerCommand {
  static summary = 'Initialize one or more containers'
  static description =
    'Initialize one or more containers, creating the OCI spec and mounts for inspection. Container names or IDs can be used. tspod makes the container\'s process (namespaces, mounts, network) under its monitor and holds it before its program, which `start` runs.'
  static aliases = ['init']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Initialize all containers'}),
    latest: latestFlag,
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Init)
    const {flags} = parsed
    const names = await this.withLatest(this.engine(flags), this.positionalArgs(parsed), flags.latest, flags.all)
    if (names.length === 0 && !flags.all) throw new UsageError('you must provide at least one name or id')
    if (names.length > 0 && flags.all) throw new UsageError('no arguments are needed with --all')
    this.exitAfter(await this.engine(flags).init({names, all: flags.all}, {...this.targetEvents(), onWarning: (w) => this.printWarning(w)}))
  }
}
