import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {UsageError} from '../../engine'

export default class ImageUnmount extends TspodCommand {
  static summary = "Unmount an image's root filesystem"
  static description =
    'Each mount of an image counts: unmounting counts down, and the root filesystem is unmounted when the count reaches zero (at once with ' +
    '--force). Prints the ID of each image that was mounted. Only the mounts of the current `unshare` session can be undone.'
  static examples = ['<%= config.bin %> image unmount imgID', '<%= config.bin %> image unmount imgID1 imgID2 imgID3', '<%= config.bin %> image unmount --all']
  static aliases = ['image:umount']
  static listedAs = ['unmount']
  static strict = false
  static args = {images: Args.string({description: 'IMAGE...'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Unmount all of the currently mounted images'}),
    force: Flags.boolean({char: 'f', description: 'Force the complete unmount of the specified mounted images'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ImageUnmount)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    if (flags.all && names.length > 0) throw new UsageError('when using the --all switch, you may not pass any image names or IDs')
    if (!flags.all && names.length === 0) throw new UsageError('image name or ID must be specified')
    for (const id of await this.engine(flags).unmountImages({names, all: flags.all, force: flags.force})) this.print(id)
  }
}
