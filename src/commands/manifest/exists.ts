import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {manifestExists} from '../../engine'

export default class ManifestExists extends TspodCommand {
  static summary = 'Check if a manifest list exists in local storage'
  static description = 'Exit status 0 if the list exists, 1 if it does not, 125 on any other error (an image that is not a list).'
  static args = {list: Args.string({required: true, description: 'the list'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestExists)
    if (!(await manifestExists(this.engine(flags), args.list))) this.exit(1)
  }
}
