import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext, pullFlags} from '../../cli/image-flags'
import {pullReporter} from '../../cli/pull-progress'
import {pullImage} from '../../storage/image/pull'

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
    const ctx = {...imageContext(flags, this.interruptSignal()), registries: this.registries()}
    const store = await this.openStore(flags)
    const reporter = pullReporter(flags.quiet)
    try {
      const image = await pullImage(store, args.image, {
        ctx,
        isTerminal: Boolean(process.stdin.isTTY && process.stderr.isTTY),
        report: (line) => reporter.line(line),
        onEvent: (e) => reporter.event(e),
        onWarning: (w) => process.stderr.write(`WARN[0000] ${w}\n`),
      })
      reporter.stop()
      this.print(image.id)
    } catch (err) {
      reporter.stop()
      throw err
    }
  }
}
