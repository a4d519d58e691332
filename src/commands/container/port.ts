import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {TspodError, UsageError} from '../../engine'

export default class Port extends ContainerCommand {
  static summary = 'List port mappings or a specific mapping for the container'
  static aliases = ['port']
  static args = {container: Args.string({description: 'container'}), port: Args.string({description: 'PRIVATE_PORT[/PROTO]'})}
  static flags = {all: Flags.boolean({char: 'a', description: 'Display port information for all containers'}), latest: latestFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Port)
    // with --latest the one argument is the port
    if (flags.all && flags.latest) throw new UsageError('--all and --latest cannot be used together')
    const [container, port] = flags.latest ? [await this.engine(flags).latestContainerId(), args.container] : [args.container, args.port]
    if (!container && !flags.all) throw new UsageError('you must supply a running container name or id')
    const wanted = port ? /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(port) : undefined
    if (port && !wanted) throw new UsageError(`invalid port "${port}"`)
    let found = false
    for (const c of await this.engine(flags).ports({container, all: flags.all})) {
      const lines: string[] = []
      for (const p of c.ports)
        for (let i = 0; i < p.range; i++) {
          const port = p.containerPort + i
          if (wanted && (Number(wanted[1]) !== port || (wanted[2] ?? 'tcp') !== p.protocol)) continue
          const host = `${p.hostIP || '0.0.0.0'}:${p.hostPort + i}`
          lines.push(wanted ? host : `${port}/${p.protocol} -> ${host}`)
        }
      if (flags.all && lines.length > 0) this.print(c.id.slice(0, 12))
      if (lines.length > 0) this.print(lines.join('\n'))
      found ||= lines.length > 0
    }
    if (wanted && !found && !flags.all) throw new TspodError(`failed to find published port ${JSON.stringify(port)}`)
  }
}
