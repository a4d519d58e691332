import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext, pullFlags} from '../../cli/image-flags'
import {pullReporter} from '../../cli/pull-progress'

export default class Pull extends TspodCommand {
  static summary = 'Pull an image from a registry'
  static aliases = ['pull']
  static description =
    'Copies an image into local storage from a registry (docker://, the default, with short names resolved through registries.conf) or from oci:DIR[:REF], oci-archive:FILE[:REF] or docker-archive:FILE[:REF].'
  static examples = ['<%= config.bin %> pull alpine', '<%= config.bin %> pull --arch arm64 docker.io/library/alpine:3.20', '<%= config.bin %> pull oci-archive:/tmp/alpine.tar']
  static args = {image: Args.string({required: true, description: 'image to pull'})}
  static flags = {
    ...pullFlags,
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pulling images'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Pull)
    const context = imageContext(flags, this.interruptSignal())
    const id = await this.engine(flags).pull(
      args.image,
      {context, isTerminal: Boolean(process.stdin.isTTY && process.stderr.isTTY)},
      {pullProgress: () => pullReporter(flags.quiet), onWarning: (w) => this.printWarning(w)},
    )
    this.print(id)
  }
}
