import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class ImageUntag extends TspodCommand {
  static summary = 'Remove a name from a local image (all names when none is given)'
  static aliases = ['untag']
  static strict = false
  static args = {image: Args.string({required: true, description: 'image'}), name: Args.string({description: 'names to remove'})}

  async run(): Promise<void> {
    const parsed = await this.parse(ImageUntag)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const [image, ...names] = argv
    await this.engine(flags).untag(image, names)
  }
}
