import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {messageFor, printError} from '../../cli/exit'
import {removalExitCode} from '../../cli/exit-codes'
import {ImageUnknownError, UsageError} from '../../engine/errors'

export default class ImageRm extends TspodCommand {
  static summary = 'Remove one or more images from local storage'
  static description = 'Exit status: 0 all removed, 1 an image was not found, 2 an image is in use, 125 any other error (as podman rmi).'
  static aliases = ['rmi']
  static strict = false
  static args = {images: Args.string({description: 'images to remove'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all images'}),
    force: Flags.boolean({char: 'f', description: 'Force Removal of the image, and of the containers using it; ignore images that do not exist'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors if a specified image does not exist'}),
    'no-prune': Flags.boolean({description: 'Do not remove dangling images'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ImageRm)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if (names.length === 0 && !flags.all) throw new UsageError('image name or ID must be specified')
    if (names.length > 0 && flags.all) throw new UsageError('when using the --all switch, you may not pass any images names or IDs')
    const report = await this.engine(flags).removeImages({names, all: flags.all, force: flags.force, noPrune: flags['no-prune']})
    for (const name of report.untagged) this.print(`Untagged: ${name}`)
    for (const id of report.deleted) this.print(`Deleted: ${id}`)
    // Podman's --force also ignores images that do not exist
    const ignoreUnknown = flags.ignore || flags.force
    const errors = report.errors.filter((e) => !(ignoreUnknown && e instanceof ImageUnknownError))
    // as Podman's JoinErrors: one error alone, several as one multierror
    if (errors.length > 1) process.stderr.write(`Error: ${errors.length} errors occurred:\n${errors.map((e) => `\t* ${messageFor(e)}`).join('\n')}\n`)
    else errors.forEach((e) => printError(e, false))
    if (errors.length === 0) return
    this.exit(removalExitCode(errors))
  }

}
