import {Args, Flags} from '@oclif/core'

import {readCidFiles} from '../../cli/cid-files'
import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {removalExitCode} from '../../cli/exit-codes'
import {NoSuchContainerError, UsageError} from '../../engine/errors'
import {printError} from '../../cli/exit'

export default class Rm extends ContainerCommand {
  static summary = 'Remove one or more containers'
  static description = 'Exit status: 0 all removed, 1 a container was not found, 2 a container is running (without --force), 125 any other error (as podman rm).'
  static aliases = ['rm', 'container:remove']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    all: Flags.boolean({char: 'a', description: 'Remove all containers'}),
    force: Flags.boolean({char: 'f', description: 'Force removal of a running container: stop it first'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified container is missing'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
    latest: latestFlag,
    volumes: Flags.boolean({char: 'v', description: 'Remove anonymous volumes associated with the container'}),
    depend: Flags.boolean({description: 'Remove container and all containers that depend on the selected container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Rm)
    const {flags} = parsed
    const given = [...this.positionalArgs(parsed), ...readCidFiles(flags.cidfile)]
    // no container for --latest is a missing target: rm's own exit status for it (1)
    const argv = await this.withLatest(this.engine(flags), given, flags.latest, flags.all).catch((err: unknown) => {
      if (!(err instanceof NoSuchContainerError)) throw err
      printError(err, false)
      return this.exit(removalExitCode([err]))
    })
    if (argv.length === 0 && !flags.all && (flags.filter ?? []).length === 0) throw new UsageError('you must provide at least one name or id')
    if (flags.time !== undefined && !flags.force) throw new UsageError('--force option must be specified to use the --time option')
    // with --force, a container that is not there is no error (Podman's rm)
    const targets = {names: argv, all: flags.all, filters: flags.filter, force: flags.force, ignore: flags.ignore || flags.force, timeout: flags.time, volumes: flags.volumes, depend: flags.depend}
    const errors = await this.engine(flags).remove(targets, this.targetEvents())
    if (errors.length === 0) return
    this.exit(removalExitCode(errors))
  }
}
