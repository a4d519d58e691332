import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {TspodError} from '../../errors'
import {lookupImage} from '../../storage/store/images/lookup'
import {normalizeTagName} from '../../storage/store/images/names'

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
    const store = await this.openStore(flags)
    const found = lookupImage(store, image, this.registries())
    const targets = names.length > 0 ? names.map(normalizeTagName) : found.names
    for (const name of targets) {
      if (!store.images.removeName(found.id, name)) throw new TspodError(`${name}: tag not known`)
    }
  }
}
