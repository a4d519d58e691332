import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {UsageError} from '../../engine'

export default class ImageTag extends TspodCommand {
  static summary = 'Add an additional name to a local image'
  static aliases = ['tag']
  static strict = false
  static args = {image: Args.string({required: true, description: 'image'}), target: Args.string({description: 'new name'})}
  static examples = ['<%= config.bin %> tag alpine myalpine:v1']

  async run(): Promise<void> {
    const parsed = await this.parse(ImageTag)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const [image, ...targets] = argv
    if (targets.length === 0) throw new UsageError('at least two arguments are required')
    await this.engine(flags).tag(image, targets)
  }
}
