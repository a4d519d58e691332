import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class VolumeExists extends TspodCommand {
  static summary = 'Check if volume exists'
  static description = 'If the given volume exists, tspod volume exists exits with 0, otherwise the exit code will be 1.'
  static examples = ['<%= config.bin %> volume exists myvol']
  static args = {volume: Args.string({required: true, description: 'volume name'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeExists)
    if (!(await this.engine(flags).volumeExists(args.volume))) this.exit(1)
  }
}
