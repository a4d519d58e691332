import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {volumeRemovalExitCode} from '../../cli/exit-codes'
import {UsageError} from '../../engine/errors'

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
    const targets = {names, all: flags.all, force: flags.force, timeout: flags.time}
    const errors = await this.engine(flags).removeVolumes(targets, {onDone: (name) => this.print(name)})
    if (errors.length === 0) return
    errors.forEach((e) => printError(e, false))
    this.exit(volumeRemovalExitCode(errors))
  }
}
