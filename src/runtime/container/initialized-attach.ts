// `start -a` of an initialized container: its process is held under its monitor, whose pipes
// take its output into the log (detach.ts), so the output is followed from the log as it is
// written, from where the log ends at the start, until the container has exited.
import * as fs from 'node:fs'

import type {Store} from '../../storage/store/store'
import {Container, hasProcesses} from './config'
import {LogCursor} from './log-reader'
import {logFileOf} from './paths'
import type {ContainerRecords} from './records'

const FOLLOW_POLL_MS = 50

export interface OutputStreams {
  stdout: {write(text: string): unknown}
  stderr: {write(text: string): unknown}
}

/** Runs `start`, writes the container's output to stdout and stderr as it comes; resolves with its exit code. */
export async function followStartedOutput(
  store: Store,
  records: Pick<ContainerRecords, 'get' | 'removedExitCode'>,
  container: Container,
  start: () => Promise<void>,
  out: OutputStreams = process,
): Promise<number> {
  const file = logFileOf(store, container.config)
  const cursor = file === undefined ? undefined : new LogCursor(file)
  try {
    if (cursor && file && fs.existsSync(file)) cursor.offset = fs.statSync(file).size
    await start()
    const show = (entries: {stream: string; partial: boolean; content: string}[]) => {
      for (const e of entries) (e.stream === 'stderr' ? out.stderr : out.stdout).write(e.partial ? e.content : `${e.content}\n`)
    }
    for (;;) {
      const current = records.get(container.config.id)
      cursor?.readToEnd(show)
      if (cursor?.reopenIfReplaced()) continue
      if (!current) return records.removedExitCode(container.config.id) ?? 0
      if (!hasProcesses(current.state)) return current.state.exitCode
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))
    }
  } finally {
    cursor?.close()
  }
}
