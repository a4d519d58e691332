import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class VolumeImport extends TspodCommand {
  static summary = 'Import a tarball contents into a volume'
  static description = 'Imports contents into a volume from specified tarball (.tar, .tar.gz, .tgz, .bzip, .tar.xz, .txz); `-` reads an uncompressed tar from stdin.'
  static examples = ['<%= config.bin %> volume import my_vol /home/user/import.tar', 'cat ctr.tar | <%= config.bin %> volume import my_vol -']
  static args = {
    volume: Args.string({required: true, description: 'VOLUME'}),
    source: Args.string({required: true, description: 'SOURCE: a tar file, or - for stdin'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeImport)
    await this.engine(flags).importVolume(args.volume, args.source, 0)
  }
}
