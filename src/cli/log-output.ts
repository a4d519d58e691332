import type {LogEntry} from '../engine'

/** Entries in order, each run of one stream in one write. */
export function printLogEntries(entries: LogEntry[], timestamps: boolean, prefix: string, atLineStart: {value: boolean}): void {
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
