import {Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {renderRecord, toYaml} from '../cli/render'

export default class Info extends TspodCommand {
  static summary = 'Display tspod related system information'
  static description =
    'Host facts (kernel, cgroups, rootless id mappings and the tools that write them) and the store ' +
    '(graph root, run root, and whether native overlay mounts inside a user namespace here, found by a real probe).'
  static examples = ['<%= config.bin %> info', "<%= config.bin %> info --format json", "<%= config.bin %> info --format '{{.Host.Kernel}}'"]
  static flags = {
    format: Flags.string({char: 'f', description: "Change the output format to JSON or a Go template"}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Info)
    const info = await this.engine(flags).info(flags.runtime)
    this.print(flags.format ? renderRecord(info, flags.format) : toYaml(info))
  }
}
