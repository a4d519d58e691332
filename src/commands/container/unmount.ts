import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

export default class ContainerUnmount extends ContainerCommand {
  static summary = "Unmount working container's root filesystem"
  static description =
    'Each mount of a container counts: unmounting counts down, and the root filesystem is unmounted when the count reaches zero (at once with ' +
    '--force). Prints each container named, mounted or not. Only the mounts of the current `unshare` session can be undone: a mount ends with ' +
    'the session that made it.'
  static examples = ['<%= config.bin %> unmount ctrID', '<%= config.bin %> unmount ctrID1 ctrID2 ctrID3', '<%= config.bin %> unmount --all']
  static aliases = ['unmount', 'umount', 'container:umount']
  static listedAs = ['unmount']
  static strict = false
  static args = {containers: Args.string({description: 'CONTAINER...'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Unmount all of the currently mounted containers'}),
    force: Flags.boolean({char: 'f', description: 'Force the complete unmount of the specified mounted containers'}),
    latest: latestFlag,
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ContainerUnmount)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    if (flags.all && flags.latest) throw new UsageError('--all and --latest cannot be used together')
    if (flags.latest && names.length > 0) throw new UsageError('--latest and containers cannot be used together')
    if (flags.all && names.length > 0) throw new UsageError('no arguments are needed with --all')
    if (!flags.all && !flags.latest && names.length === 0) throw new UsageError('you must provide at least one name or id')
    const unmounted = await this.engine(flags).unmountContainers({names, all: flags.all, latest: flags.latest, force: flags.force})
    for (const name of unmounted) this.print(name)
  }
}
