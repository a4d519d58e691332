import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {commitReporter} from '../../cli/commit-progress'
import {UsageError} from '../../engine'

export default class Commit extends ContainerCommand {
  static summary = 'Create new image based on the changed container'
  static aliases = ['commit']
  static args = {container: Args.string({required: true, description: 'container'}), image: Args.string({description: 'name of the new image'})}
  static flags = {
    author: Flags.string({char: 'a', description: 'Set the author for the image committed'}),
    change: Flags.string({
      char: 'c',
      multiple: true, multipleNonGreedy: true,
      description: 'Apply the following possible instructions to the created image: CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR',
    }),
    format: Flags.string({char: 'f', default: 'oci', description: 'Format of the image manifest and metadata (oci or docker)'}),
    iidfile: Flags.string({description: 'file to write the image ID to'}),
    'include-volumes': Flags.boolean({description: 'Include container volumes as image volumes'}),
    message: Flags.string({char: 'm', description: 'Set commit message for imported image'}),
    pause: Flags.boolean({char: 'p', description: 'Pause container during commit'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output'}),
    squash: Flags.boolean({char: 's', description: 'squash the image\'s layers and the container\'s changes into a single layer'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Commit)
    const format = flags.format.toLowerCase()
    if (format !== 'oci' && format !== 'docker') throw new UsageError(`unrecognized image type "${flags.format}"`)
    const id = await this.engine(flags).commit(
      args.container,
      args.image,
      {
        changes: flags.change ?? [],
        message: flags.message,
        author: flags.author,
        format,
        pause: flags.pause,
        includeVolumes: flags['include-volumes'],
        iidFile: flags.iidfile,
        squash: flags.squash,
      },
      {pullProgress: () => commitReporter(flags.quiet)},
    )
    this.print(id)
  }
}
