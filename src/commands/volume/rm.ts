import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {volumeRemovalExitCode} from '../../cli/exit-codes'
import {UsageError} from '../../errors'
import {ContainerRecords} from '../../runtime/container/records'
import {removeContainer} from '../../runtime/container/remove'
import {NoSuchVolumeError, VolumeStore} from '../../runtime/volume'
import type {Store} from '../../storage/store/store'

/** `volume rm -f`: the containers using the volume go first (running ones stopped), as in Podman. */
function containerRemover(store: Store, timeout: number | undefined): (ids: string[]) => Promise<void> {
  return async (ids) => {
    const records = ContainerRecords.open(store)
    for (const id of ids) {
      const container = records.get(id)
      if (container) await removeContainer(store, records, container, {force: true, timeout})
      else store.containers.delete(id) // a storage row without runtime records
    }
  }
}

export default class VolumeRm extends TspodCommand {
  static summary = 'Remove one or more volumes'
  static description =
    'By default only volumes that are not being used by any containers will be removed. To remove the volumes anyways, use the --force flag ' +
    '(it removes the containers using them first). Exit status: 0 all removed, 1 a volume was not found, 2 a volume is in use, 125 any other error (as podman volume rm).'
  static examples = ['<%= config.bin %> volume rm myvol1 myvol2', '<%= config.bin %> volume rm --all', '<%= config.bin %> volume rm --force myvol']
  static aliases = ['volume:remove']
  static strict = false
  static args = {volumes: Args.string({description: 'volumes to remove'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all volumes'}),
    force: Flags.boolean({char: 'f', description: 'Remove a volume by force, even if it is being used by a container'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for running containers to stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(VolumeRm)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if ((names.length > 0) === Boolean(flags.all)) throw new UsageError('choose either one or more volumes or all')
    if (flags.time !== undefined && !flags.force) throw new UsageError('--force option must be specified to use the --time option')
    const store = await this.openStore(flags)
    const volumes = VolumeStore.open(store)
    const removeContainers = flags.force ? containerRemover(store, flags.time) : undefined
    const errors: Error[] = []
    const targets: string[] = []
    if (flags.all) targets.push(...volumes.list().map((v) => v.name))
    for (const name of names) {
      try {
        targets.push(volumes.lookup(name).name)
      } catch (err) {
        if (!(err instanceof NoSuchVolumeError && flags.force)) errors.push(err as Error)
      }
    }
    for (const name of targets) {
      try {
        await volumes.remove(name, {removeContainers})
        this.print(name)
      } catch (err) {
        if (!(err instanceof NoSuchVolumeError && flags.force)) errors.push(err as Error)
      }
    }
    if (errors.length === 0) return
    errors.forEach((e) => printError(e, false))
    this.exit(volumeRemovalExitCode(errors))
  }
}
