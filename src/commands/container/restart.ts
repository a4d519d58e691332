import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {printWarnings} from '../../cli/container-flags'
import {UsageError} from '../../errors'
import {startDetachedOnce} from '../../runtime/container/detach'
import {stopContainer} from '../../runtime/container/stop'

export default class Restart extends ContainerCommand {
  static summary = 'Restart one or more containers'
  static aliases = ['restart']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Restart all non-running containers'}),
    running: Flags.boolean({description: 'Restart only running containers'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Restart)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const {store, records} = await this.openContainers(flags)
    const all = records.list().filter((c) => !flags.running || c.state.status === 'running')
    const names = flags.all || flags.running ? all.map((c) => c.config.id) : argv
    if (names.length === 0 && !flags.all && !flags.running) throw new UsageError('you must provide at least one name or id')
    const errors = await this.eachContainer(records, names, async (c, name) => {
      await stopContainer(records, c, flags.time)
      printWarnings(await startDetachedOnce(store, records, c.config.id))
      this.print(name)
    })
    this.exitAfter(errors)
  }
}
