import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageTreeText} from '../../cli/image-tree-output'

export default class ImageTree extends TspodCommand {
  static summary = 'Prints layer hierarchy of an image in a tree format'
  static examples = ['<%= config.bin %> image tree alpine:latest']
  static args = {image: Args.string({required: true, description: 'image'})}
  static flags = {
    whatrequires: Flags.boolean({description: 'Show all child images and layers of the specified image'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageTree)
    const tree = await this.engine(flags).imageTree(args.image, {whatRequires: flags.whatrequires})
    // Podman prints the tree with Println: a blank line ends it
    process.stdout.write(`${imageTreeText(tree)}\n`)
  }
}
