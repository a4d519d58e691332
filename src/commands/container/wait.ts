import {Args} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {UsageError} from '../../errors'
import {ContainerRecords} from '../../runtime/container/records'
import {waitForExit} from '../../runtime/container/stop'

function exists(records: ContainerRecords, name: string): boolean {
  try {
    records.lookup(name)
    return true
  } catch {
    return false
  }
}

export default class Wait extends ContainerCommand {
  static summary = 'Block on one or more containers'
  static description = 'Waits until each container stops, then prints its exit code.'
  static aliases = ['wait']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}

  async run(): Promise<void> {
    const parsed = await this.parse(Wait)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if (names.length === 0) throw new UsageError('you must provide at least one container name or id')
    const {records} = await this.openContainers(flags)
    const errors: unknown[] = []
    for (const name of names) {
      // a --rm container that ended and is gone already: its code is kept for a while
      const removed = records.removedExitCode(name)
      if (removed !== undefined && !exists(records, name)) {
        this.print(String(removed))
        continue
      }
      errors.push(
        ...(await this.eachContainer(records, [name], async (c) => {
          const done = await waitForExit(records, c.config.id)
          this.print(String(done ? done.state.exitCode : (records.removedExitCode(c.config.id) ?? -1)))
        })),
      )
    }
    this.exitAfter(errors)
  }
}
