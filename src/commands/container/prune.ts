import {Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {printError} from '../../cli/exit'
import {UsageError} from '../../engine'

export default class ContainerPrune extends ContainerCommand {
  static summary = 'Remove all non running containers'
  static flags = {
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ContainerPrune)
    if (!flags.force) {
      if (!process.stdin.isTTY) throw new UsageError('container prune needs --force when its input is not a terminal')
      process.stdout.write('WARNING! This will remove all non running containers.\nAre you sure you want to continue? [y/N] ')
      const answer = await new Promise<string>((resolve) => process.stdin.once('data', (d) => resolve(String(d))))
      process.stdin.pause()
      if (!/^y(es)?$/i.test(answer.trim())) return
    }
    const report = await this.engine(flags).pruneContainers()
    for (const {id} of report.removed) this.print(id)
    if (report.errors.length === 0) return
    report.errors.slice(0, -1).forEach((e) => printError(e, false))
    throw report.errors.at(-1)
  }
}
