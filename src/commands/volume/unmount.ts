import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class VolumeUnmount extends TspodCommand {
  static summary = 'Unmount volume'
  static description = 'Unmount a volume mounted by `volume mount`; a plain local volume has no mount to undo. Prints each volume unmounted.'
  static examples = ['<%= config.bin %> volume unmount myvol']
  static strict = false
  static args = {volumes: Args.string({required: true, description: 'VOLUME...'})}

  async run(): Promise<void> {
    const parsed = await this.parse(VolumeUnmount)
    for (const name of await this.engine(parsed.flags).unmountVolumes(this.positionalArgs(parsed))) this.print(name)
  }
}
