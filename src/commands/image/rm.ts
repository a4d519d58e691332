import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {removalExitCode} from '../../cli/exit-codes'
import {UsageError} from '../../errors'
import {ContainerRecords} from '../../runtime/container/records'
import {removeContainer} from '../../runtime/container/remove'
import {ImageUnknownError, resolveLocalImage} from '../../storage/image/lookup'
import type {Store} from '../../storage/store/store'
import {removeImages} from '../../storage/image/remove'

export default class ImageRm extends TspodCommand {
  static summary = 'Remove one or more images from local storage'
  static description = 'Exit status: 0 all removed, 1 an image was not found, 2 an image is in use, 125 any other error (as podman rmi).'
  static aliases = ['rmi']
  static strict = false
  static args = {images: Args.string({description: 'images to remove'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all images'}),
    force: Flags.boolean({char: 'f', description: 'Force Removal of the image, and of the containers using it'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors if a specified image does not exist'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ImageRm)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if (names.length === 0 && !flags.all) throw new UsageError('image name or ID must be specified')
    if (names.length > 0 && flags.all) throw new UsageError('when using the --all switch, you may not pass any images names or IDs')
    const store = await this.openStore(flags)
    if (flags.force) await this.removeUsers(store, names, flags.all)
    const report = await removeImages(store, names, {force: flags.force, all: flags.all, registries: this.registries()})
    for (const name of report.untagged) this.print(`Untagged: ${name}`)
    for (const id of report.deleted) this.print(`Deleted: ${id}`)
    const errors = report.errors.filter((e) => !(flags.ignore && e instanceof ImageUnknownError))
    errors.forEach((e) => printError(e, false))
    if (errors.length === 0) return
    this.exit(removalExitCode(errors))
  }

  /** rmi -f: the containers using the images go first, as Podman's does. */
  private async removeUsers(store: Store, names: string[], all: boolean): Promise<void> {
    const registries = this.registries()
    const ids = new Set(all ? store.images.list().map((i) => i.id) : names.map((n) => resolveLocalImage(store, n, registries)?.image.id))
    const records = ContainerRecords.open(store)
    for (const c of records.list()) if (ids.has(c.config.imageId)) await removeContainer(store, records, c, {force: true})
  }
}
