import {Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {printError} from '../../cli/exit'

export default class SystemMigrate extends ContainerCommand {
  static summary = 'Migrate containers'
  static description =
    'Stops every running container, so that it is mapped from the current /etc/subuid and /etc/subgid ranges when it starts again ' +
    '(tspod has no pause process: each command reads them afresh). With --new-runtime, every container is started with that runtime from then on ' +
    "(crun, runc, a path, or tspod for tspod's own runtime)."
  static flags = {
    'new-runtime': Flags.string({description: 'Specify a new runtime for all containers'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemMigrate)
    const report = await this.engine(flags).migrate({newRuntime: flags['new-runtime']})
    for (const id of report.stopped) this.print(`stopped ${id}`)
    if (report.errors.length === 0) return
    report.errors.slice(0, -1).forEach((e) => printError(e, false))
    throw report.errors.at(-1)
  }
}
