import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {diffFormatFlag, renderChanges} from '../../cli/diff-output'

export default class ImageDiff extends TspodCommand {
  static summary = 'Inspect changes to the image\'s file system (its top layer over the ones below)'
  static args = {image: Args.string({required: true, description: 'image'})}
  static flags = {format: diffFormatFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageDiff)
    process.stdout.write(renderChanges(await this.engine(flags).diff(args.image, {type: 'image'}), flags.format))
  }
}
