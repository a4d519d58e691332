import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext} from '../../cli/image-flags'
import {pushReporter} from '../../cli/push-progress'

export default class ImagePush extends TspodCommand {
  static summary = 'Push an image to a specified destination'
  static aliases = ['push']
  static description =
    'Copies an image from local storage to a registry (docker://, the default for a destination without a transport; the image name itself when there is no destination) or to oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:REF] or dir:DIR.'
  static examples = ['<%= config.bin %> push localhost:5000/app', '<%= config.bin %> push --creds user:pass app registry.example.com/team/app:1.0', '<%= config.bin %> push app oci-archive:/tmp/app.tar']
  static args = {
    image: Args.string({required: true, description: 'image to push'}),
    destination: Args.string({description: 'where to push it'}),
  }
  static flags = {
    authfile: Flags.string({description: 'Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    'cert-dir': Flags.string({description: 'Path to a directory containing TLS certificates and keys'}),
    'compression-format': Flags.string({description: 'compression format to use (gzip, zstd)'}),
    creds: Flags.string({description: 'Credentials (USERNAME:PASSWORD) to use for authenticating to a registry'}),
    digestfile: Flags.string({description: 'Write the digest of the pushed image to the specified file'}),
    format: Flags.string({char: 'f', description: 'Manifest type (oci, v2s2) to use in the destination (default is manifest type of source, with fallbacks)'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pushing images'}),
    // tspod's store keeps no signatures, so there are never any to carry over or discard
    'remove-signatures': Flags.boolean({description: 'Discard any pre-existing signatures in the image'}),
    'tls-verify': Flags.boolean({description: 'Require HTTPS and verify certificates when contacting registries', allowNo: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImagePush)
    const context = {...imageContext(flags, this.interruptSignal()), certDir: flags['cert-dir']}
    await this.engine(flags).push(
      args.image,
      args.destination,
      {context, format: flags.format, compressionFormat: flags['compression-format'], digestFile: flags.digestfile},
      {pushProgress: () => pushReporter(flags.quiet)},
    )
    if (!flags.quiet) process.stderr.write('Storing signatures\n')
  }
}
