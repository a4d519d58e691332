import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class ImageExists extends TspodCommand {
  static summary = 'Check if an image exists in local storage'
  static description = 'Exit status 0 if the image exists, 1 if it does not, 125 on any other error.'
  static args = {image: Args.string({required: true, description: 'image'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageExists)
    if (!(await this.engine(flags).imageExists(args.image))) this.exit(1)
  }
}
