import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {printLogEntries} from '../../cli/log-output'
import {UsageError} from '../../engine'

export default class PodLogs extends ContainerCommand {
  static summary = 'Fetch logs for pod with one or more containers'
  static description = 'The logs of the pod\'s containers (not its infra container\'s), each line prefixed with its container\'s ID (or name, with --names) when there are several.'
  static args = {pod: Args.string({description: 'pod'})}
  static flags = {
    container: Flags.string({char: 'c', description: 'Filter logs by container name or id which belongs to pod'}),
    follow: Flags.boolean({char: 'f', description: 'Follow log output'}),
    names: Flags.boolean({char: 'n', description: 'Output container names instead of container IDs in the log'}),
    since: Flags.string({description: 'Show logs since TIMESTAMP (a duration such as 10m, Unix seconds or an RFC 3339 time)'}),
    tail: Flags.integer({description: 'Output the specified number of LINES at the end of the logs (-1: all)', default: -1}),
    timestamps: Flags.boolean({char: 't', description: 'Output the timestamps in the log'}),
    until: Flags.string({description: 'Show logs until TIMESTAMP (as --since)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PodLogs)
    if (!args.pod) throw new UsageError('podman pod logs requires at least one pod name or id')
    const engine = this.engine(flags)
    const names = (await engine.pods()).logTargets(args.pod, flags.container)
    if (names.length === 0) return
    await engine.logs({names, follow: flags.follow, tail: flags.tail, since: flags.since, until: flags.until}, (c) => {
      const prefix = names.length > 1 || flags.names ? `${flags.names ? c.name : c.id.slice(0, 12)} ` : ''
      const atLineStart = {value: true}
      return (entries) => printLogEntries(entries, flags.timestamps, prefix, atLineStart)
    })
  }
}
