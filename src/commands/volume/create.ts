import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class VolumeCreate extends TspodCommand {
  static summary = 'Create a new volume'
  static description =
    'The volume is a directory in the volumes directory of the graph root (driver "local"). ' +
    'Driver options (-o): o=uid=N,gid=N (owner of the volume in the container), o=noquota, copy, nocopy; ' +
    'options that would mount a filesystem (type, device, o=<mount options>) or set a quota are refused.'
  static examples = ['<%= config.bin %> volume create myvol', '<%= config.bin %> volume create', '<%= config.bin %> volume create --label foo=bar myvol']
  static args = {name: Args.string({description: 'volume name'})}
  static flags = {
    driver: Flags.string({char: 'd', default: 'local', description: 'Specify volume driver name'}),
    label: Flags.string({char: 'l', multiple: true, multipleNonGreedy: true, description: 'Set metadata for a volume (default [])'}),
    opt: Flags.string({char: 'o', multiple: true, multipleNonGreedy: true, description: 'Set driver specific options (default [])'}),
    ignore: Flags.boolean({description: "Don't fail if volume already exists"}),
    uid: Flags.integer({description: 'Set the UID of the volume owner'}),
    gid: Flags.integer({description: 'Set the GID of the volume owner'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeCreate)
    const name = await this.engine(flags).createVolume({
      name: args.name,
      driver: flags.driver,
      labels: flags.label,
      options: flags.opt,
      uid: flags.uid,
      gid: flags.gid,
      ignoreIfExists: flags.ignore,
    })
    this.print(name)
  }
}
