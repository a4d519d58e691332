import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {CLEAR_SCREEN, renderContainerStats} from '../../cli/stats-output'
import {UsageError} from '../../engine'

export default class Stats extends ContainerCommand {
  static summary = 'Display a live stream of container resource usage statistics'
  static description =
    'Display percentage of CPU, memory, network I/O, block I/O and PIDs for one or more containers (every container when none is named).\n\n' +
    "tspod's rootless containers have no cgroup of their own, so the numbers come from /proc, added up over the container's processes (those of its pid namespace, or its init and the init's descendants when it shares one): " +
    'CPU from /proc/PID/stat (utime + stime; CPU % between two reports, the first one since the start), memory from smaps_rollup\'s Pss (VmRSS where that cannot be read) with the host\'s MemTotal as the limit, ' +
    "NET IO from the container's network namespace's /proc/PID/net/dev (every interface but lo: received / sent), BLOCK IO from /proc/PID/io (read_bytes / write_bytes), PIDS the tasks (threads)."
  static aliases = ['stats']
  static strict = false
  static examples = ['<%= config.bin %> stats --all --no-stream', '<%= config.bin %> stats ctrID', '<%= config.bin %> stats --no-stream --format "table {{.ID}} {{.Name}} {{.MemUsage}}" ctrID']
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Show all containers. Only running containers are shown by default. The default is false'}),
    format: Flags.string({description: 'Pretty-print container statistics to JSON or using a Go template'}),
    interval: Flags.integer({char: 'i', default: 5, helpValue: 'int', description: 'Time in seconds between stats reports'}),
    latest: latestFlag,
    'no-reset': Flags.boolean({description: 'Disable resetting the screen between intervals'}),
    'no-stream': Flags.boolean({description: 'Disable streaming stats and only pull the first result, default setting is false'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate output'}),
  }
  static args = {containers: Args.string({description: 'containers'})}

  async run(): Promise<void> {
    const parsed = await this.parse(Stats)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    if ([flags.all, flags.latest, names.length > 0].filter(Boolean).length > 1) throw new UsageError('--all, --latest and containers cannot be used together')
    const sample = await this.engine(flags).containerStats({names, latest: flags.latest, interval: flags.interval})
    for (;;) {
      const report = renderContainerStats(sample(), flags.format, flags['no-trunc'])
      const clear = !flags['no-reset'] && process.stdout.isTTY ? CLEAR_SCREEN : ''
      process.stdout.write(clear + report)
      if (flags['no-stream']) return
      await new Promise((resolve) => setTimeout(resolve, flags.interval * 1000))
    }
  }
}
