import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {manifestRemove} from '../../engine'

export default class ManifestRemove extends TspodCommand {
  static summary = 'Remove an entry from a manifest list or image index'
  static args = {list: Args.string({required: true, description: 'the list'}), digest: Args.string({required: true, description: 'the instance digest'})}
  static examples = ['<%= config.bin %> manifest remove mylist:v1.11 sha256:15352d97781ffdf357bf3459c037be3efac4133dc9070c2dce7eca7c05c3e736']

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestRemove)
    this.print(await manifestRemove(this.engine(flags), args.list, args.digest))
  }
}
