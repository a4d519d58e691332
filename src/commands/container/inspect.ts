import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {printError} from '../../cli/exit'
import {EXIT_ENGINE} from '../../cli/exit-codes'
import {renderInspect} from '../../cli/render'
import {UsageError} from '../../engine'

export default class ContainerInspect extends ContainerCommand {
  static summary = 'Display the configuration of a container'
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    format: Flags.string({char: 'f', description: 'Format the output to a Go template or json'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container tspod is aware of'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ContainerInspect)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    if (flags.latest && argv.length > 0) throw new UsageError('--latest and arguments cannot be used together')
    let failed = false
    const out = await this.engine(flags).inspectContainers({names: argv, latest: flags.latest}, (err) => {
      failed = true
      printError(err, false)
    })
    process.stdout.write(renderInspect(out, flags.format))
    if (failed) this.exit(EXIT_ENGINE)
  }
}
