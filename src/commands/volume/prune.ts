import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {readLine} from '../../cli/prompt'
import {UsageError} from '../../errors'
import {VolumeStore, parseVolumeFilters, pruneCandidates, pruneVolumes, splitAllFilter} from '../../runtime/volume'

export default class VolumePrune extends TspodCommand {
  static summary = 'Remove unused volumes'
  static description =
    'By default, only anonymous (unnamed) unused volumes are removed. Use --all to remove all unused volumes (anonymous and named). ' +
    'The command prompts for confirmation which can be overridden with the --force flag.'
  static examples = ['<%= config.bin %> volume prune', '<%= config.bin %> volume prune --all --force']
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all unused volumes, both anonymous and named'}),
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
    'dry-run': Flags.boolean({description: 'Show what would be pruned without actually pruning'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VolumePrune)
    const choice = splitAllFilter(parseVolumeFilters(flags.filter ?? []), Boolean(flags.all))
    if (flags.force && flags['dry-run']) throw new UsageError('--force and --dry-run cannot be used together')
    const volumes = VolumeStore.open(await this.openStore(flags))
    if (flags['dry-run']) {
      this.print('Volumes that would be pruned:')
      for (const v of pruneCandidates(volumes, choice)) this.print(v.name)
      return
    }
    if (!flags.force) {
      const which = choice.all ? 'all volumes' : 'anonymous local volumes'
      this.print(`WARNING! This will remove ${which} not used by at least one container. The following volumes will be removed:`)
      const candidates = pruneCandidates(volumes, choice)
      if (candidates.length === 0) {
        this.print(choice.all ? 'No dangling volumes found' : 'No dangling anonymous volumes found')
        return
      }
      for (const v of candidates) this.print(v.name)
      process.stdout.write('Are you sure you want to continue? [y/N] ')
      const answer = await readLine()
      if (answer[0]?.toLowerCase() !== 'y') return
    }
    const report = await pruneVolumes(volumes, choice)
    for (const name of report.removed) this.print(name)
    if (report.errors.length === 0) return
    report.errors.slice(0, -1).forEach((e) => printError(e, false))
    throw report.errors.at(-1)
  }
}
