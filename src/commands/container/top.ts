import {Args} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {topTable} from '../../cli/top-table'
import {UsageError} from '../../engine'

export default class Top extends ContainerCommand {
  static summary = 'Display the running processes of a container'
  static description = 'Descriptors as Podman\'s (ps(1) AIX format): user, pid, ppid, pcpu, etime, tty, time, args, comm, nice, pgid, rgroup, ruser, vsz, uid, ...'
  static aliases = ['top']
  static strict = false
  static flags = {latest: latestFlag}
  static args = {container: Args.string({description: 'container'}), descriptors: Args.string({description: 'format descriptors'})}

  async run(): Promise<void> {
    const parsed = await this.parse(Top)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    // with --latest every argument is a descriptor
    const [name, ...descriptors] = flags.latest ? [await this.engine(flags).latestContainerId(), ...argv] : argv
    if (!name) throw new UsageError('you must provide the name or ID of a running container')
    const {headers, rows} = await this.engine(flags).top(name, descriptors)
    process.stdout.write(topTable(headers, rows))
  }
}
