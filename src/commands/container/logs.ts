import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {UsageError} from '../../errors'
import type {LogEntry} from '../../runtime/container/log-file'
import {LogCursor, readableLogFile} from '../../runtime/container/log-reader'
import {isRunning} from '../../runtime/container/report'
import {parseTimeValue} from '../../runtime/time-value'

const FOLLOW_POLL_MS = 100

/** Entries in order, each run of one stream in one write. */
function print(entries: LogEntry[], timestamps: boolean, prefix: string, atLineStart: {value: boolean}): void {
  let text = ''
  let stream: LogEntry['stream'] | undefined
  const flush = () => {
    if (text !== '') (stream === 'stderr' ? process.stderr : process.stdout).write(text)
    text = ''
  }
  for (const e of entries) {
    if (e.stream !== stream) flush()
    stream = e.stream
    const head = atLineStart.value ? `${prefix}${timestamps ? `${e.time} ` : ''}` : ''
    text += `${head}${e.content}${e.partial ? '' : '\n'}`
    atLineStart.value = !e.partial
  }
  flush()
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
    const timed = flags.since !== undefined || flags.until !== undefined
    const inTime = (e: LogEntry) => {
      if (!timed) return true
      const time = Date.parse(e.time)
      return time >= since && time <= until
    }
    const {store, records} = await this.openContainers(flags)
    const containers = names.map((n) => records.lookup(n))
    for (const c of containers) {
      const cursor = new LogCursor(readableLogFile(store, c.config))
      const prefix = names.length > 1 || flags.names ? `${flags.names ? c.config.name : c.config.id.slice(0, 12)} ` : ''
      const atLineStart = {value: true}
      const show = (entries: LogEntry[]) => print(timed ? entries.filter(inTime) : entries, flags.timestamps, prefix, atLineStart)
      try {
        if (flags.tail >= 0) print(cursor.tail(flags.tail, inTime), flags.timestamps, prefix, atLineStart)
        else cursor.readToEnd(show)
        if (!flags.follow) continue
        for (;;) {
          const current = records.get(c.config.id)
          cursor.readToEnd(show)
          // the log restarted at its size limit: the old one is read to its end, now the new one
          if (cursor.reopenIfReplaced()) continue
          if (!current || !isRunning(current.state)) break
          await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))
        }
      } finally {
        cursor.close()
      }
    }
  }
}
