import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {invocation} from '../../cli/invocation'
import {UsageError} from '../../engine'

export default class Start extends ContainerCommand {
  static summary = 'Start one or more containers'
  static aliases = ['start']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    attach: Flags.boolean({char: 'a', description: 'Attach container\'s STDOUT and STDERR'}),
    interactive: Flags.boolean({char: 'i', description: 'Make STDIN available to the contained process'}),
    'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container. Format is a single character [a-Z] or ctrl-<value> where <value> is one of: a-z, @, ^, [, , or _'}),
    all: Flags.boolean({description: 'Start all containers regardless of their state or configuration'}),
    latest: latestFlag,
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Start)
    const {flags} = parsed
    const argv = await this.withLatest(this.engine(flags), this.positionalArgs(parsed), flags.latest, flags.all)
    const filters = flags.filter ?? []
    if (argv.length === 0 && !flags.all && filters.length === 0) throw new UsageError('start requires at least one argument')
    if (argv.length > 1 && flags.attach) throw new UsageError('you cannot start and attach multiple containers at once')
    if (argv.length > 0 && flags.all) throw new UsageError('either start all containers or the container(s) provided in the arguments')
    if (flags.attach && flags.all) throw new UsageError('you cannot start and attach all containers at once')
    const targets = {names: argv, all: flags.all, filters, attach: flags.attach, interactive: flags.interactive, detachKeys: flags['detach-keys']}
    const {errors, exitCode, detached} = await this.engine(flags).start(targets, {...this.targetEvents(), onWarning: (w) => this.printWarning(w)})
    if (detached) invocation.leftRunning = true
    if (exitCode !== undefined && exitCode !== 0) this.exit(exitCode)
    this.exitAfter(errors)
  }
}
