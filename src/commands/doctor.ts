import {Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {toJson} from '../cli/render'
import {CHECK_GROUPS, formatResult, toReport} from '../engine/doctor-report'

export default class Doctor extends TspodCommand {
  static summary = 'Check that rootless containers can run here, and say how to fix what cannot'
  static description =
    'Runs every check without starting a container and prints one line per check: OK, WARN or FAIL, what it found, ' +
    'and the exact fix. Checks: ' +
    CHECK_GROUPS.map((g) => `${g.name} (${g.summary})`).join('; ') +
    '. With --fix, applies the fixes that need no root (creates a missing graph root or run root with mode 0700, removes ' +
    'orphan layer dirs and leftovers of dead tspod processes, unmounts leftover mounts it may) and prints the ones that need ' +
    'root as commands to run; it touches nothing else.\n\n' +
    'Exit status: 0 when every check is OK, 1 when there are warnings but no failure, 2 when any check failed, ' +
    '125 when doctor itself could not run.'
  static examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --format json', '<%= config.bin %> doctor --fix', '<%= config.bin %> doctor --check subids --check store-paths']
  static flags = {
    format: Flags.string({char: 'f', options: ['json'], description: 'Print the results as JSON: an array of {check, status, message, fix}'}),
    fix: Flags.boolean({description: 'Apply the safe fixes that need no root, and print the commands for those that do'}),
    check: Flags.string({multiple: true, multipleNonGreedy: true, options: CHECK_GROUPS.map((g) => g.name), description: 'Run only this group of checks (repeatable)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Doctor)
    const {results, repairs, needsRoot, exitCode: code} = await this.engine(flags).doctor({checks: flags.check, fix: flags.fix})
    const before = repairs.map((o) => (o.error ? `could not fix (${o.check}): ${o.description}: ${o.error}` : `fixed (${o.check}): ${o.description}`))
    const after = needsRoot.map((c) => `needs root (${c.check}): ${c.command}`)
    if (flags.format === 'json') {
      for (const line of [...before, ...after]) process.stderr.write(line + '\n')
      this.print(toJson(toReport(results)))
    } else {
      this.print([...before, ...results.map(formatResult), ...after].join('\n'))
    }
    if (code !== 0) this.exit(code)
  }
}
