import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {readLine} from '../../cli/prompt'

export default class VolumePrune extends TspodCommand {
  static summary = 'Remove all unused volumes'
  static description =
    'Volumes that are not currently owned by a container will be removed. ' +
    'The command prompts for confirmation which can be overridden with the --force flag. Note all data will be destroyed.'
  static examples = ['<%= config.bin %> volume prune', '<%= config.bin %> volume prune --force', "<%= config.bin %> volume prune --filter label=mylabel"]
  static flags = {
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VolumePrune)
    // Podman 4's volume prune takes every unused volume, named or anonymous
    const options = {filters: flags.filter ?? [], all: true, force: flags.force}
    const report = await this.engine(flags).pruneVolumes(options, flags.force ? undefined : (candidates, choice) => this.confirm(candidates, choice.all))
    for (const name of report.removed) this.print(name)
    if (report.errors.length === 0) return
    report.errors.slice(0, -1).forEach((e) => printError(e, false))
    throw report.errors.at(-1)
  }

  /** Podman's question, with the volumes it is about; no question when there are none. */
  private async confirm(candidates: string[], all: boolean): Promise<boolean> {
    const which = all ? 'all volumes' : 'anonymous local volumes'
    this.print(`WARNING! This will remove ${which} not used by at least one container. The following volumes will be removed:`)
    if (candidates.length === 0) {
      this.print(all ? 'No dangling volumes found' : 'No dangling anonymous volumes found')
      return false
    }
    for (const name of candidates) this.print(name)
    process.stdout.write('Are you sure you want to continue? [y/N] ')
    const answer = await readLine()
    return answer[0]?.toLowerCase() === 'y'
  }
}
