import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {readLine} from '../../cli/prompt'

export default class NetworkPrune extends TspodCommand {
  static summary = 'Prune unused networks'
  static description = 'Remove every network no container uses (the default network `podman` stays); label, label! and until filters.'
  static examples = ['<%= config.bin %> network prune', '<%= config.bin %> network prune -f --filter label=env=dev']
  static flags = {
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
    force: Flags.boolean({char: 'f', description: 'do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(NetworkPrune)
    if (!flags.force) {
      process.stdout.write('WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue? [y/N] ')
      const answer = await readLine()
      if (answer[0]?.toLowerCase() !== 'y') return
    }
    const report = await (await this.engine(flags).networks()).prune(flags.filter ?? [])
    for (const name of report.removed) this.print(name)
    if (report.errors.length > 0) throw report.errors.at(-1)
  }
}
