import {Args, Flags} from '@oclif/core'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodCommand} from '../../cli/base-command'
import {pullReporter} from '../../cli/pull-progress'
import {UsageError} from '../../errors'
import {SAVE_FORMATS, saveImage} from '../../storage/image/save'

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
    // tspod writes every layer as it is stored (uncompressed layers stay uncompressed, in every
    // format), which is what this flag asks of Podman; it is accepted so Podman's command lines work.
    uncompressed: Flags.boolean({description: 'Accept uncompressed layers when copying OCI images'}),
    'multi-image-archive': Flags.boolean({char: 'm', description: 'Interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageSave)
    const store = await this.openStore(flags)
    let output = flags.output
    let work: string | undefined
    if (!output) {
      if (process.stdout.isTTY) throw new UsageError('refusing to save to terminal. Use -o flag or redirect')
      if (flags.format === 'oci-dir') throw new UsageError('oci-dir needs -o DIR')
      work = store.newWorkDir('tmp')
      output = path.join(work, 'image.tar')
    }
    const reporter = pullReporter(flags.quiet || !flags.output)
    try {
      await saveImage(store, argv as string[], path.resolve(output), {
        format: flags.format,
        multiImage: flags['multi-image-archive'],
        registries: this.registries(),
        signal: this.interruptSignal(),
        onEvent: (e) => reporter.event(e),
      })
      reporter.stop()
      if (work) {
        await new Promise<void>((resolve, reject) => fs.createReadStream(output!).on('error', reject).on('end', resolve).pipe(process.stdout, {end: false}))
      }
    } finally {
      reporter.stop()
      if (work) fs.rmSync(work, {recursive: true, force: true})
    }
  }
}
