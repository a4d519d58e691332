import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../cli/container-command'
import {printError} from '../cli/exit'
import {EXIT_ENGINE} from '../cli/exit-codes'
import {renderInspect} from '../cli/render'
import {InspectType, UsageError} from '../engine'

/** `tspod inspect`: a container by that name or ID first, else an image, as Podman does. */
export default class Inspect extends ContainerCommand {
  static summary = 'Display the configuration of an object denoted by ID or name'
  static strict = false
  static args = {names: Args.string({description: 'containers or images'})}
  static flags = {
    format: Flags.string({char: 'f', description: 'Format the output to a Go template or json'}),
    type: Flags.string({char: 't', options: ['all', 'container', 'image'], default: 'all', description: 'Specify inspect-object type'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container tspod is aware of'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Inspect)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    if (flags.latest && argv.length > 0) throw new UsageError('--latest and arguments cannot be used together')
    const names = flags.latest ? [await this.engine(flags).latestContainerId()] : argv
    if (names.length === 0) throw new UsageError('inspect requires at least 1 arg(s), only received 0')
    let failed = false
    const out = await this.engine(flags).inspect(names, flags.type as InspectType, (err) => {
      failed = true
      printError(err, false)
    })
    process.stdout.write(renderInspect(out, flags.format))
    if (failed) this.exit(EXIT_ENGINE)
  }
}
