import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {printLogEntries} from '../../cli/log-output'
import {UsageError} from '../../engine'

export default class Logs extends ContainerCommand {
  static summary = 'Fetch the logs of one or more containers'
  static aliases = ['logs']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    follow: Flags.boolean({char: 'f', description: 'Follow log output'}),
    tail: Flags.integer({description: 'Output the specified number of LINES at the end of the logs (-1: all)', default: -1}),
    timestamps: Flags.boolean({char: 't', description: 'Output the timestamps in the log'}),
    names: Flags.boolean({char: 'n', description: 'Output the container name in the log'}),
    latest: latestFlag,
    since: Flags.string({description: 'Show logs since TIMESTAMP (a duration such as 10m, Unix seconds or an RFC 3339 time)'}),
    until: Flags.string({description: 'Show logs until TIMESTAMP (as --since)'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Logs)
    const {flags} = parsed
    const argv = await this.withLatest(this.engine(flags), this.positionalArgs(parsed), flags.latest)
    const names = argv
    if (names.length === 0) throw new UsageError('logs requires at least 1 arg(s), only received 0')
    const options = {names, follow: flags.follow, tail: flags.tail, since: flags.since, until: flags.until}
    await this.engine(flags).logs(options, (c) => {
      const prefix = names.length > 1 || flags.names ? `${flags.names ? c.name : c.id.slice(0, 12)} ` : ''
      const atLineStart = {value: true}
      return (entries) => printLogEntries(entries, flags.timestamps, prefix, atLineStart)
    })
  }
}
