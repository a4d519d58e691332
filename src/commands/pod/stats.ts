import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {isJsonFormat} from '../../cli/format/go-template'
import {CLEAR_SCREEN, podStatsRow, renderPodStats} from '../../cli/stats-output'
import {UsageError} from '../../engine'

export default class PodStats extends ContainerCommand {
  static summary = 'Display a live stream of resource usage statistics for the containers in one or more pods'
  static description =
    "Display the containers' resource-usage statistics of one or more running pod (every pod when none is named), every second. " +
    "As `stats`, tspod reads the numbers from /proc (the containers have no cgroup of their own); each report's CPU % counts from the container's start."
  static strict = false
  static examples = ['<%= config.bin %> pod stats', '<%= config.bin %> pod stats a69b23034235 named-pod', '<%= config.bin %> pod stats --latest', '<%= config.bin %> pod stats --all']
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Provide stats for all pods'}),
    format: Flags.string({description: 'Pretty-print container statistics to JSON or using a Go template'}),
    latest: {...latestFlag, description: 'Act on the latest pod tspod is aware of'},
    'no-reset': Flags.boolean({description: 'Disable resetting the screen when streaming'}),
    'no-stream': Flags.boolean({description: 'Disable streaming stats and only pull the first result'}),
  }
  static args = {pods: Args.string({description: 'pods'})}

  async run(): Promise<void> {
    const parsed = await this.parse(PodStats)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    const chosen = [flags.all, flags.latest, names.length > 0].filter(Boolean).length
    if (chosen > 1) throw new UsageError('--all, --latest and arguments cannot be used together')
    const pods = await this.engine(flags).pods()
    const json = flags.format !== undefined && isJsonFormat(flags.format)
    for (;;) {
      const reports = await pods.stats(names, {all: chosen === 0 || flags.all, latest: flags.latest})
      const rows = reports.flatMap((r) => r.stats.map((s) => podStatsRow(r.podId, s)))
      const clear = !json && !flags['no-reset'] && process.stdout.isTTY ? CLEAR_SCREEN : ''
      process.stdout.write(clear + renderPodStats(rows, flags.format))
      if (flags['no-stream']) return
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
}
