import {Args} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {UsageError} from '../../engine'

/** Podman's columns: tab-separated cells padded to at least 12 characters and 2 spaces apart. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(12, h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] + 2))).join('').trimEnd()
  return [line(headers), ...rows.map(line)].join('\n') + '\n'
}

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
    process.stdout.write(table(headers, rows))
  }
}
