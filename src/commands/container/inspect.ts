import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {printError} from '../../cli/exit'
import {EXIT_ENGINE} from '../../cli/exit-codes'
import {renderInspect} from '../../cli/render'
import {UsageError} from '../../errors'
import {inspectContainer} from '../../runtime/container/report'

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
    const {store, records} = await this.openContainers(flags)
    let names = argv
    if (flags.latest) names = records.list().slice(-1).map((c) => c.config.id)
    if (names.length === 0) throw new UsageError('inspect requires at least 1 arg(s), only received 0')
    const out: unknown[] = []
    let failed = false
    for (const name of names) {
      try {
        out.push(inspectContainer(records.lookup(name), store))
      } catch (err) {
        failed = true
        printError(err, false)
      }
    }
    process.stdout.write(renderInspect(out, flags.format))
    if (failed) this.exit(EXIT_ENGINE)
  }
}
