import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext} from '../../cli/image-flags'
import {manifestInspect} from '../../engine'

export default class ManifestInspect extends TspodCommand {
  static summary = 'Display the contents of a manifest list or image index'
  static description = 'A list in local storage, or else the manifest a registry has under the name.'
  static args = {list: Args.string({required: true, description: 'the list or image'})}
  static examples = ['<%= config.bin %> manifest inspect mylist:v1.11']
  static flags = {
    'tls-verify': Flags.boolean({allowNo: true, description: 'require HTTPS and verify certificates when accessing the registry'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestInspect)
    const doc = await manifestInspect(this.engine(flags), args.list, imageContext(flags, this.interruptSignal()))
    this.print(JSON.stringify(doc, null, 4))
  }
}
