import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {instanceFlags, instanceOverrides} from '../../cli/manifest-flags'
import {manifestAnnotate} from '../../engine'

export default class ManifestAnnotate extends TspodCommand {
  static summary = 'Add or update information about an entry in a manifest list or image index'
  static args = {list: Args.string({required: true, description: 'the list'}), digest: Args.string({required: true, description: 'the instance digest'})}
  static examples = ['<%= config.bin %> manifest annotate --annotation left=right mylist:v1.11 sha256:15352d97781ffdf357bf3459c037be3efac4133dc9070c2dce7eca7c05c3e736']
  static flags = {
    ...instanceFlags,
    'os-features': Flags.string({multiple: true, multipleNonGreedy: true, description: 'override the OS features of the specified image'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestAnnotate)
    this.print(await manifestAnnotate(this.engine(flags), args.list, args.digest, instanceOverrides(flags)))
  }
}
