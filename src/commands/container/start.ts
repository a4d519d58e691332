import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {printWarnings} from '../../cli/container-flags'
import {UsageError} from '../../errors'
import {runAttached} from '../../runtime/container/attach'
import {startDetachedOnce} from '../../runtime/container/detach'
import {removeContainer} from '../../runtime/container/remove'
import {isRunning} from '../../runtime/container/report'

export default class Start extends ContainerCommand {
  static summary = 'Start one or more containers'
  static aliases = ['start']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    attach: Flags.boolean({char: 'a', description: 'Attach container\'s STDOUT and STDERR'}),
    interactive: Flags.boolean({char: 'i', description: 'Make STDIN available to the contained process'}),
    all: Flags.boolean({description: 'Start all containers regardless of their state or configuration'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Start)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const {store, records} = await this.openContainers(flags)
    const names = flags.all ? records.list().map((c) => c.config.id) : argv
    if (names.length === 0 && !flags.all) throw new UsageError('start requires at least one argument')
    if (flags.attach) {
      if (names.length > 1) throw new UsageError('you cannot start and attach multiple containers at once')
      const container = records.lookup(names[0])
      if (isRunning(container.state)) throw new UsageError(`container ${container.config.id} is already running; tspod cannot attach to a running container`)
      let code: number
      try {
        code = await runAttached(store, records, container, {interactive: flags.interactive, log: true, onLaunched: (l) => printWarnings(l.warnings)})
      } finally {
        const current = records.get(container.config.id)
        if (current && container.config.autoRemove) await removeContainer(store, records, current, {force: true})
      }
      if (code !== 0) this.exit(code)
      return
    }
    const errors = await this.eachContainer(records, names, async (c, name) => {
      if (!isRunning(c.state)) printWarnings(await startDetachedOnce(store, records, c.config.id))
      this.print(name)
    })
    this.exitAfter(errors)
  }
}
