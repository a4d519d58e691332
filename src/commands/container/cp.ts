import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'

export default class Cp extends ContainerCommand {
  static summary = 'Copy files/folders between a container and the local filesystem'
  static description =
    'One of SRC and DEST is CONTAINER:PATH. `-` as SRC reads a tar archive from stdin into a container dir; as DEST it writes one to stdout.'
  static aliases = ['cp']
  static args = {
    source: Args.string({required: true, description: 'SRC: a host path, CONTAINER:PATH or -'}),
    destination: Args.string({required: true, description: 'DEST: a host path, CONTAINER:PATH or -'}),
  }
  static flags = {
    archive: Flags.boolean({char: 'a', default: true, allowNo: true, description: 'Chown copied files to the primary uid/gid of the destination container.'}),
    overwrite: Flags.boolean({default: false, description: 'Allow to overwrite directories with non-directories and vice versa'}),
    pause: Flags.boolean({default: true, description: 'Pause the container while copying (accepted; tspod copies without pausing)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Cp)
    const options = {archive: flags.archive, overwrite: flags.overwrite}
    await this.engine(flags).copy(args.source, args.destination, options, {stdin: process.stdin, stdout: process.stdout})
  }
}
