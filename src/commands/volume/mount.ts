import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {programName} from '../../cli/program-name'

export default class VolumeMount extends TspodCommand {
  static summary = 'Mount volume'
  static description =
    "Mount a volume and print its mount point. A rootless user must run it in tspod's user namespace (`tspod unshare`), as Podman requires; " +
    'a plain local volume is its _data directory, which needs no mount.'
  static examples = ['<%= config.bin %> volume mount myvol']
  static strict = false
  static args = {volumes: Args.string({required: true, description: 'VOLUME...'})}

  async run(): Promise<void> {
    const parsed = await this.parse(VolumeMount)
    const mounted = await this.engine(parsed.flags).mountVolumes(this.positionalArgs(parsed), `${programName()} volume mount`)
    for (const mountpoint of mounted) this.print(mountpoint)
  }
}
