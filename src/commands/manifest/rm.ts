import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {EXIT_ENGINE} from '../../cli/exit-codes'
import {manifestRm, UsageError} from '../../engine'

export default class ManifestRm extends TspodCommand {
  static summary = 'Remove manifest list or image index from local storage'
  static strict = false
  static args = {lists: Args.string({description: 'the lists to remove'})}
  static examples = ['<%= config.bin %> manifest rm mylist:v1.11']

  async run(): Promise<void> {
    const parsed = await this.parse(ManifestRm)
    const names = this.positionalArgs(parsed)
    if (names.length === 0) throw new UsageError('requires at least 1 arg(s), only received 0')
    const report = await manifestRm(this.engine(parsed.flags), names)
    for (const name of report.untagged) this.print(`Untagged: ${name}`)
    for (const id of report.deleted) this.print(`Deleted: ${id}`)
    report.errors.forEach((e) => printError(e, false))
    if (report.errors.length > 0) this.exit(EXIT_ENGINE)
  }
}
