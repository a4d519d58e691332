import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {streamOutput} from '../../cli/output-file'
import {UsageError} from '../../engine/errors'

export default class ContainerExport extends TspodCommand {
  static summary = "Export a container's filesystem contents as a tar archive"
  static aliases = ['export']
  static args = {container: Args.string({required: true, description: 'container'})}
  static flags = {output: Flags.string({char: 'o', description: 'Write to a specified file (default: stdout, which must be redirected)'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ContainerExport)
    if (!flags.output && process.stdout.isTTY) throw new UsageError('refusing to export to terminal. Use -o flag or redirect')
    await streamOutput(flags.output, (out) => this.engine(flags).exportContainer(args.container, out))
  }
}
