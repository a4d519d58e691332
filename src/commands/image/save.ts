import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {pullReporter} from '../../cli/pull-progress'
import {UsageError} from '../../engine'
import {SAVE_FORMATS} from '../../engine/save-formats'

export default class ImageSave extends TspodCommand {
  static summary = 'Save image(s) to a docker-archive, oci-archive or OCI layout'
  static description = 'Writes the image with the blobs it was pulled with, so its digests and ID are the same where it is loaded (podman load, tspod load).'
  static aliases = ['save']
  static strict = false
  static args = {image: Args.string({required: true, description: 'image; more names are more tags of it, or more images with -m'})}
  static flags = {
    output: Flags.string({char: 'o', description: 'Write to a specified file (default: stdout, which must be redirected)'}),
    format: Flags.option({options: SAVE_FORMATS, default: 'docker-archive' as const, description: 'Save image to oci-archive, oci-dir (directory with oci manifest type), docker-archive'})(),
    quiet: Flags.boolean({char: 'q', description: 'Suppress the output'}),
    uncompressed: Flags.boolean({description: 'Accept uncompressed layers when copying OCI images (oci-archive, oci-dir: every layer is written as its uncompressed tar)'}),
    'multi-image-archive': Flags.boolean({char: 'm', description: 'Interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageSave)
    if (!flags.output && process.stdout.isTTY) throw new UsageError('refusing to save to terminal. Use -o flag or redirect')
    const options = {names: argv as string[], output: flags.output, format: flags.format, multiImage: flags['multi-image-archive'], uncompressed: flags.uncompressed, signal: this.interruptSignal()}
    await this.engine(flags).save(options, process.stdout, {pullProgress: () => pullReporter(flags.quiet || !flags.output)})
  }
}
