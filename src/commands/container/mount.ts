import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {programName} from '../../cli/program-name'
import {UsageError} from '../../engine'

export default class ContainerMount extends ContainerCommand {
  static summary = "Mount a working container's root filesystem"
  static description =
    'Mounts the containers\' root filesystems and prints each mount point; without containers, lists those mounted. A rootless user must run it ' +
    "in tspod's user namespace (`tspod unshare`), as Podman requires. tspod keeps no process to hold that namespace between sessions, as " +
    "Podman's pause process does: a mount lives in the mount namespace of the `unshare` session that made it and ends with it; `mount` lists " +
    'and counts the mounts of the current session, and those of ended sessions are forgotten.'
  static examples = ['<%= config.bin %> unshare <%= config.bin %> mount CONTAINER', '<%= config.bin %> unshare <%= config.bin %> mount --format json']
  static aliases = ['mount']
  static strict = false
  static args = {containers: Args.string({description: 'CONTAINER...'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Mount all containers'}),
    format: Flags.string({description: 'Print the mounted containers in specified format (json)'}),
    latest: latestFlag,
    'no-trunc': Flags.boolean({aliases: ['notruncate'], description: 'Do not truncate output'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ContainerMount)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    const command = `${programName()} ${this.commandPath().join(' ')}`
    if (flags.all && flags.latest) throw new UsageError('--all and --latest cannot be used together')
    if (flags.all && names.length > 0) throw new UsageError('no arguments are needed with --all')
    if (flags.latest && names.length > 0) throw new UsageError('--latest and containers cannot be used together')
    if (flags.format !== undefined && flags.format !== 'json') throw new UsageError(`unknown --format argument: ${JSON.stringify(flags.format)}`)
    const engine = this.engine(flags)
    if (names.length > 0 || flags.all || flags.latest) {
      for (const mountpoint of await engine.mountContainers({names, all: flags.all, latest: flags.latest}, command)) this.print(mountpoint)
      return
    }
    const mounted = await engine.listMountedContainers(command)
    if (flags.format === 'json') {
      this.print(JSON.stringify(mounted.map((m) => ({id: m.id, Names: m.names, mountpoint: m.mountpoint})), null, 1))
      return
    }
    for (const m of mounted) this.print(`${flags['no-trunc'] ? m.id : m.id.slice(0, 12)}  ${m.mountpoint}`)
  }
}
