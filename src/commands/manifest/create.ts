import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext} from '../../cli/image-flags'
import {manifestCreate} from '../../engine'

export default class ManifestCreate extends TspodCommand {
  static summary = 'Create manifest list or image index'
  static strict = false
  static args = {list: Args.string({required: true, description: 'name of the list'}), images: Args.string({description: 'images to add'})}
  static examples = ['<%= config.bin %> manifest create mylist:v1.11', '<%= config.bin %> manifest create --all mylist:v1.11 docker://fedora']
  static flags = {
    all: Flags.boolean({description: "add all of the lists' images if the images to add are lists"}),
    amend: Flags.boolean({char: 'a', description: 'modify an existing list if one with the desired name already exists'}),
    'tls-verify': Flags.boolean({allowNo: true, description: 'require HTTPS and verify certificates when accessing the registry'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ManifestCreate)
    const {flags} = parsed
    const [list, ...images] = this.positionalArgs(parsed)
    const id = await manifestCreate(this.engine(flags), list, images, {all: flags.all, amend: flags.amend, context: imageContext(flags, this.interruptSignal())})
    this.print(id)
  }
}
