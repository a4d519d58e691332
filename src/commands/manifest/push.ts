import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext} from '../../cli/image-flags'
import {pushReporter} from '../../cli/push-progress'
import {manifestPush} from '../../engine'

export default class ManifestPush extends TspodCommand {
  static summary = 'Push a manifest list or image index to a registry'
  static description = 'The images of the list go first (each under its digest in the destination repository), then the list under the destination name (the list name when none is given).'
  static args = {list: Args.string({required: true, description: 'the list'}), destination: Args.string({description: 'where to push it'})}
  static examples = ['<%= config.bin %> manifest push mylist:v1.11 docker://quay.io/myuser/image:v1.11']
  static flags = {
    all: Flags.boolean({default: true, allowNo: true, description: 'also push the images in the list'}),
    authfile: Flags.string({description: 'path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    'cert-dir': Flags.string({description: 'use certificates at the specified path to access the registry'}),
    'compression-format': Flags.string({description: 'compression format to use (gzip)'}),
    creds: Flags.string({description: 'use `[username[:password]]` for accessing the registry'}),
    digestfile: Flags.string({description: 'after copying the image, write the digest of the resulting digest to the file'}),
    format: Flags.string({char: 'f', description: 'manifest type (oci or v2s2) to attempt to use when pushing the manifest list (default is manifest type of source)'}),
    quiet: Flags.boolean({char: 'q', description: "don't output progress information when pushing lists"}),
    // tspod's store keeps no signatures, so there are never any to carry over or discard
    'remove-signatures': Flags.boolean({description: "don't copy signatures when pushing images"}),
    rm: Flags.boolean({description: 'remove the manifest list if push succeeds'}),
    'tls-verify': Flags.boolean({allowNo: true, description: 'require HTTPS and verify certificates when accessing the registry'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestPush)
    const context = {...imageContext(flags, this.interruptSignal()), certDir: flags['cert-dir']}
    const progress = pushReporter(flags.quiet)
    await manifestPush(
      this.engine(flags),
      args.list,
      args.destination ?? args.list,
      {all: flags.all, rm: flags.rm, format: flags.format, compressionFormat: flags['compression-format'], digestFile: flags.digestfile, context},
      {report: (line) => progress.line(line), onEvent: (e) => progress.event(e)},
    )
  }
}
