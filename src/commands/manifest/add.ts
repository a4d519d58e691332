import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext} from '../../cli/image-flags'
import {instanceFlags, instanceOverrides} from '../../cli/manifest-flags'
import {manifestAdd} from '../../engine'

export default class ManifestAdd extends TspodCommand {
  static summary = 'Add images to a manifest list or image index'
  static description = 'IMAGE is read from a registry unless it names its transport (containers-storage:, oci:, dir:, …).'
  static args = {list: Args.string({required: true, description: 'the list'}), image: Args.string({required: true, description: 'the image to add'})}
  static examples = ['<%= config.bin %> manifest add mylist:v1.11 docker://quay.io/username/myimage:v1.11']
  static flags = {
    ...instanceFlags,
    all: Flags.boolean({description: "add all of the list's images if the image is a list"}),
    authfile: Flags.string({description: 'path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    'cert-dir': Flags.string({description: 'use certificates at the specified path to access the registry'}),
    creds: Flags.string({description: 'use `[username[:password]]` for accessing the registry'}),
    'tls-verify': Flags.boolean({allowNo: true, description: 'require HTTPS and verify certificates when accessing the registry'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestAdd)
    // the platform flags override the instance's fields, not the platform a list is read for
    const context = {...imageContext({...flags, arch: undefined, os: undefined, variant: undefined}, this.interruptSignal()), certDir: flags['cert-dir']}
    this.print(await manifestAdd(this.engine(flags), args.list, args.image, {all: flags.all, context, overrides: instanceOverrides(flags)}))
  }
}
