import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {UsageError} from '../../engine'

export default class VolumeExport extends TspodCommand {
  static summary = 'Export volumes'
  static description = 'Allow content of volume to be exported into external tar.'
  static examples = ['<%= config.bin %> volume export myvol --output myvol.tar', '<%= config.bin %> volume export myvol > myvol.tar']
  static args = {volume: Args.string({required: true, description: 'VOLUME'})}
  static flags = {
    output: Flags.string({char: 'o', description: 'Write to a specified file (default: stdout, which must be redirected)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeExport)
    if (flags.output === undefined && process.stdout.isTTY)
      throw new UsageError('cannot write to terminal, use command-line redirection or the --output flag')
    await this.engine(flags).exportVolume(args.volume, {file: flags.output, stdout: 1})
  }
}
