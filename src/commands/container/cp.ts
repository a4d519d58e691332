import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {UsageError} from '../../errors'
import {copyBetweenContainers, copyFromContainer, copyToContainer, parseCopyArg} from '../../runtime/container/copy'

export default class Cp extends ContainerCommand {
  static summary = 'Copy files/folders between a container and the local filesystem'
  static description =
    'One of SRC and DEST is CONTAINER:PATH. `-` as SRC reads a tar archive from stdin into a container dir; as DEST it writes one to stdout.'
  static aliases = ['cp']
  static args = {
    source: Args.string({required: true, description: 'SRC: a host path, CONTAINER:PATH or -'}),
    destination: Args.string({required: true, description: 'DEST: a host path, CONTAINER:PATH or -'}),
  }
  static flags = {
    archive: Flags.boolean({char: 'a', default: true, allowNo: true, description: 'Chown copied files to the primary uid/gid of the destination container.'}),
    overwrite: Flags.boolean({default: false, description: 'Allow to overwrite directories with non-directories and vice versa'}),
    pause: Flags.boolean({default: true, description: 'Pause the container while copying (accepted; tspod copies without pausing)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Cp)
    const source = parseCopyArg(args.source)
    const destination = parseCopyArg(args.destination)
    if (!source && !destination) throw new UsageError('name or ID cannot be empty: one of SRC and DEST must be CONTAINER:PATH')
    const {store, records} = await this.openContainers(flags)
    const options = {archive: flags.archive, overwrite: flags.overwrite}
    if (source && destination) {
      await copyBetweenContainers(store, records.lookup(source.container), source.path, records.lookup(destination.container), destination.path, options)
      return
    }
    if (source) {
      await copyFromContainer(store, records.lookup(source.container), source.path, args.destination, options, process.stdout)
      return
    }
    await copyToContainer(store, records.lookup(destination!.container), args.source, destination!.path, options, process.stdin)
  }
}
