import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {pullReporter} from '../../cli/pull-progress'
import {UsageError} from '../../engine'

export default class ImageLoad extends TspodCommand {
  static summary = 'Load image(s) from a tar archive'
  static description = 'Reads a docker-archive (docker save, podman save) or oci-archive, from --input or stdin, and stores every image in it.'
  static aliases = ['load']
  static flags = {
    input: Flags.string({char: 'i', description: 'Read from specified archive file, or an http(s) URL of one (default: stdin)'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress the output'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ImageLoad)
    if (!flags.input && process.stdin.isTTY) throw new UsageError('cannot read from terminal, use command-line redirection or the --input flag')
    const images = await this.engine(flags).load(
      {input: flags.input, stdin: process.stdin, signal: this.interruptSignal()},
      {pullProgress: () => pullReporter(flags.quiet), onWarning: (w) => this.printWarning(w)},
    )
    // the names the archive gave, not others the image already had
    for (const {image, names: given} of images) {
      const names = given.length > 0 ? given : [`sha256:${image.id}`]
      for (const name of names) this.print(`Loaded image: ${name}`)
    }
  }
}
