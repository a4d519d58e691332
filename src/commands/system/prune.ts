import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {confirm} from '../../cli/prompt'
import {compactSize} from '../../cli/units'

/** Podman's warning, less the networks and build cache that tspod does not have. */
function warning(all: boolean, volumes: boolean): string {
  const lines = [
    'WARNING! This command removes:',
    '\t- all stopped containers',
    ...(volumes ? ['\t- all volumes not used by at least one container'] : []),
    all ? '\t- all images without at least one container associated with them' : '\t- all dangling images',
  ]
  return `${lines.join('\n')}\n\nAre you sure you want to continue? [y/N] `
}

export default class SystemPrune extends TspodCommand {
  static summary = 'Remove unused data'
  static description = 'Removes stopped containers and dangling images (with --all, every image no container uses); with --volumes, every volume no container uses.'
  static examples = ['<%= config.bin %> system prune']
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all unused data'}),
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation.  The default is false'}),
    volumes: Flags.boolean({description: 'Prune volumes'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemPrune)
    if (!flags.force && !(await confirm(warning(flags.all, flags.volumes)))) return
    const report = await this.engine(flags).systemPrune({all: flags.all, volumes: flags.volumes, filters: flags.filter ?? []})
    const sections: [string, string[]][] = [
      ['Deleted Containers', report.containers],
      ['Deleted Volumes', report.volumes],
      ['Deleted Images', report.images],
    ]
    for (const [title, names] of sections) if (names.length > 0) this.print([title, ...names].join('\n'))
    this.print(`Total reclaimed space: ${compactSize(report.reclaimedBytes)}`)
    if (report.errors.length === 0) return
    report.errors.slice(0, -1).forEach((e) => printError(e, false))
    throw report.errors.at(-1)
  }
}
