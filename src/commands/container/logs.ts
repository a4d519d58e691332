import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {UsageError} from '../../errors'
import {LogEntry, readLogFrom, tailEntries} from '../../runtime/container/log-file'
import {containerDirs} from '../../runtime/container/paths'
import {isRunning} from '../../runtime/container/report'
import {parseTimeValue} from '../../runtime/time-value'

const FOLLOW_POLL_MS = 100

function print(entries: LogEntry[], timestamps: boolean, prefix: string, atLineStart: {value: boolean}): void {
  for (const e of entries) {
    const out = e.stream === 'stderr' ? process.stderr : process.stdout
    const head = atLineStart.value ? `${prefix}${timestamps ? `${e.time} ` : ''}` : ''
    out.write(`${head}${e.content}${e.partial ? '' : '\n'}`)
    atLineStart.value = !e.partial
  }
}

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
    since: Flags.string({description: 'Show logs since TIMESTAMP (a duration such as 10m, Unix seconds or an RFC 3339 time)'}),
    until: Flags.string({description: 'Show logs until TIMESTAMP (as --since)'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Logs)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if (names.length === 0) throw new UsageError('logs requires at least 1 arg(s), only received 0')
    if (flags.follow && names.length > 1) throw new UsageError('--follow works with one container at a time in tspod')
    const since = flags.since === undefined ? -Infinity : parseTimeValue(flags.since)
    const until = flags.until === undefined ? Infinity : parseTimeValue(flags.until)
    const inTime = (entries: LogEntry[]) => entries.filter((e) => Date.parse(e.time) >= since && Date.parse(e.time) <= until)
    const {store, records} = await this.openContainers(flags)
    const containers = names.map((n) => records.lookup(n))
    for (const c of containers) {
      const file = containerDirs(store, c.config.id).logFile
      const prefix = names.length > 1 || flags.names ? `${flags.names ? c.config.name : c.config.id.slice(0, 12)} ` : ''
      const atLineStart = {value: true}
      let {entries, offset} = readLogFrom(file, 0)
      print(tailEntries(inTime(entries), flags.tail), flags.timestamps, prefix, atLineStart)
      if (!flags.follow) continue
      for (;;) {
        const current = records.get(c.config.id)
        ;({entries, offset} = readLogFrom(file, offset))
        print(inTime(entries), flags.timestamps, prefix, atLineStart)
        if (!current || !isRunning(current.state)) break
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))
      }
    }
  }
}
