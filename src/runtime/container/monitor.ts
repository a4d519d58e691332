// The monitor of a detached container (a process of its own, started by detach.ts): it spawns
// the container with its output into the log file, tells the starter on fd 3 whether the
// container runs, records its exit and removes it with --rm. If the monitor dies, the
// container dies with it (PDEATHSIG) and the record settles as exited.
import * as fs from 'node:fs'

import {Store} from '../../storage/store/store'
import {teeOutput} from './attach'
import type {MonitorReport, MonitorRequest} from './detach'
import {launchContainer, recordExit} from './launch'
import {LogWriter} from './log-file'
import {containerDirs} from './paths'
import {ContainerRecords} from './records'
import {removeContainer} from './remove'

const REPORT_FD = 3

function report(message: MonitorReport): void {
  try {
    fs.writeSync(REPORT_FD, JSON.stringify(message))
    fs.closeSync(REPORT_FD)
  } catch {
    // the starter is gone; the record tells the rest
  }
}

async function monitor(request: MonitorRequest): Promise<void> {
  for (const sig of ['SIGHUP', 'SIGINT', 'SIGPIPE'] as const) process.on(sig, () => undefined)
  const store = await Store.open(request.storage)
  try {
    const records = ContainerRecords.open(store)
    const container = records.get(request.id)
    if (!container) throw new Error(`no container with name or ID "${request.id}" found: no such container`)
    const log = new LogWriter(containerDirs(store, request.id).logFile)
    const devNull = fs.openSync('/dev/null', 'r')
    const tty = container.config.spec.process.terminal ?? false
    let launched
    try {
      // with a terminal, the console step makes the pty 0, 1 and 2 (this process's are /dev/null)
      launched = await launchContainer(store, records, container, {stdio: tty ? ['inherit', 'inherit', 'inherit'] : [devNull, 'pipe', 'pipe'], tty})
    } finally {
      fs.closeSync(devNull)
    }
    const {child} = launched
    const copies = tty ? [] : [teeOutput(child.stdout!, undefined, log, 'stdout'), teeOutput(child.stderr!, undefined, log, 'stderr')]
    if (tty) {
      await child.started.catch(() => undefined)
      try {
        const master = child.consoleMaster()
        copies.push(teeOutput(fs.createReadStream('', {fd: master}), undefined, log, 'stdout'))
      } catch {
        // failed before its terminal existed; the exit below says why
      }
    }
    child.started.then(
      () => report({ok: true, warnings: launched.warnings}),
      (err: Error & {exitCode?: number}) => report({ok: false, message: err.message, exitCode: err.exitCode ?? 125}),
    )
    await recordExit(records, container, launched).catch(() => undefined)
    await Promise.all(copies)
    log.close()
    const after = records.get(request.id)
    if (after && container.config.autoRemove) await removeContainer(store, records, after)
  } finally {
    store.close()
  }
}

monitor(JSON.parse(process.argv[2]) as MonitorRequest).then(
  () => process.exit(0),
  (err: Error & {exitCode?: number}) => {
    report({ok: false, message: err.message, exitCode: err.exitCode ?? 125})
    process.exit(1)
  },
)
