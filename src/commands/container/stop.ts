import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {UsageError} from '../../errors'
import {NoSuchContainerError} from '../../runtime/container/records'
import {stopContainer} from '../../runtime/container/stop'

export default class Stop extends ContainerCommand {
  static summary = 'Stop one or more containers'
  static description = 'Sends the stop signal (the image\'s StopSignal, else SIGTERM), then SIGKILL after the timeout.'
  static aliases = ['stop']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Stop all running containers'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified container is missing'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Stop)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const {records} = await this.openContainers(flags)
    const names = flags.all ? records.list().filter((c) => c.state.status === 'running').map((c) => c.config.id) : argv
    if (names.length === 0 && !flags.all) throw new UsageError('you must provide at least one name or id')
    const errors = await this.eachContainer(
      records,
      names,
      async (c, name) => {
        const warning = await stopContainer(records, c, flags.time)
        if (warning) process.stderr.write(`WARN[0000] ${warning}\n`)
        this.print(name)
      },
      (err) => flags.ignore && err instanceof NoSuchContainerError,
    )
    this.exitAfter(errors)
  }
}
