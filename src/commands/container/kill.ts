import {Args, Flags} from '@oclif/core'
import * as os from 'node:os'

import {ContainerCommand} from '../../cli/container-command'
import {UsageError} from '../../errors'
import {killContainer} from '../../runtime/container/stop'

/** A signal as Podman takes it: a name with or without SIG, any case, or a number. */
export function parseSignal(text: string): NodeJS.Signals | number {
  const signals = os.constants.signals as Record<string, number>
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    if (n >= 1 && n <= 64) return n
  } else {
    const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`
    if (name in signals) return name as NodeJS.Signals
  }
  throw new UsageError(`invalid signal: ${text}`)
}

export default class Kill extends ContainerCommand {
  static summary = 'Kill one or more running containers with a specific signal'
  static aliases = ['kill']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Signal all running containers'}),
    signal: Flags.string({char: 's', default: 'KILL', description: 'Signal to send to the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Kill)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const sig = parseSignal(flags.signal)
    const {records} = await this.openContainers(flags)
    const names = flags.all ? records.list().filter((c) => c.state.status === 'running').map((c) => c.config.id) : argv
    if (names.length === 0 && !flags.all) throw new UsageError('you must provide at least one name or id')
    const errors = await this.eachContainer(records, names, async (c, name) => {
      await killContainer(records, c, sig)
      this.print(name)
    })
    this.exitAfter(errors)
  }
}
