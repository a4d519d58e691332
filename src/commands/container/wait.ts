import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class Wait extends ContainerCommand {
  static summary = 'Block on one or more containers'
  static description = 'Waits until each container stops (or is in a state --condition names), then prints its exit code (-1 for a state other than stopped or exited).'
  static aliases = ['wait']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    condition: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Condition to wait on'}),
    latest: latestFlag,
    interval: Flags.string({char: 'i', default: '250ms', description: 'Time Interval to wait before polling for completion'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Wait)
    const {flags} = parsed
    const names = await this.withLatest(this.engine(flags), this.positionalArgs(parsed), flags.latest)
    if (names.length === 0) throw new UsageError('you must provide at least one container name or id')
    const conditions = (flags.condition ?? []).flatMap((c) => c.split(','))
    const {onError} = this.targetEvents()
    const errors = await this.engine(flags).wait(names, {onExitCode: (code) => this.print(String(code)), onError}, {conditions, interval: flags.interval})
    this.exitAfter(errors)
  }
}
