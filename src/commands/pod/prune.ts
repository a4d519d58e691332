import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {confirm} from '../../cli/prompt'

export default class PodPrune extends TspodCommand {
  static summary = 'Remove all stopped pods and their containers'
  static flags = {force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(PodPrune)
    if (!flags.force && !(await confirm('WARNING! This will remove all stopped/exited pods..\nAre you sure you want to continue? [y/N] '))) return
    for (const id of await (await this.engine(flags).pods()).prune()) this.print(id)
  }
}
