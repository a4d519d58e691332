import {Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {renderRecord, toYaml} from '../cli/render'

export default class Info extends TspodCommand {
  static summary = 'Display tspod related system information'
  static description =
    'Host facts (kernel, cgroups, rootless id mappings and the tools that write them), the store ' +
    '(graph driver and root, run root, volume path, and with overlay whether native overlay mounts inside a ' +
    'user namespace here, found by a real probe), registries, plugins and version, with the keys of Podman\'s info.'
  static examples = ['<%= config.bin %> info', "<%= config.bin %> info --format json", "<%= config.bin %> info --format '{{.Host.Kernel}}'"]
  static flags = {
    format: Flags.string({char: 'f', description: "Change the output format to JSON or a Go template"}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Info)
    const info = await this.engine(flags).info(flags.runtime)
    // an empty --format is an empty template (one empty line), as Podman's
    this.print(flags.format !== undefined ? renderRecord(info, flags.format) : toYaml(info, {sortKeys: true}))
  }
}
