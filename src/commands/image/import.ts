import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {pullReporter} from '../../cli/pull-progress'

export default class ImageImport extends TspodCommand {
  static summary = 'Import a tarball to create a filesystem image'
  static description = 'The tarball (a file, an http(s) URL, or - for stdin; gzip or plain) becomes the one layer of a new image.'
  static aliases = ['import']
  static args = {
    source: Args.string({required: true, description: 'tarball file, URL, or - for stdin'}),
    reference: Args.string({description: 'name for the image'}),
  }

  static flags = {
    change: Flags.string({char: 'c', multiple: true, multipleNonGreedy: true, description: 'Apply the following possible instructions to the created image (default []): CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR'}),
    message: Flags.string({char: 'm', description: 'Set commit message for imported image'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageImport)
    const id = await this.engine(flags).importImage(
      {source: args.source, name: args.reference, changes: flags.change ?? [], message: flags.message, stdin: process.stdin, signal: this.interruptSignal()},
      {pullProgress: () => pullReporter(flags.quiet)},
    )
    this.print(`sha256:${id}`)
  }
}
