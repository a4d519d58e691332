import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {EXIT_ENGINE} from '../../cli/exit-codes'
import {renderInspect} from '../../cli/render'
import {UsageError} from '../../engine'

export default class ImageInspect extends TspodCommand {
  static summary = 'Display the configuration of an image'
  static strict = false
  static args = {images: Args.string({description: 'images'})}
  static flags = {format: Flags.string({char: 'f', description: 'Format the output to a Go template or json'})}

  async run(): Promise<void> {
    const parsed = await this.parse(this.constructor as typeof ImageInspect)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if (names.length === 0) throw new UsageError('inspect requires at least 1 arg(s), only received 0')
    let failed = false
    const records = await this.engine(flags).inspectImages(names, (err) => {
      failed = true
      printError(err, false)
    })
    process.stdout.write(renderInspect(records, flags.format))
    if (failed) this.exit(EXIT_ENGINE)
  }
}
