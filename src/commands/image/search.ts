import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {existingAuthfile, imageContext} from '../../cli/image-flags'
import {searchOutput} from '../../cli/search-output'
import {UsageError} from '../../engine'

export default class ImageSearch extends TspodCommand {
  static summary = 'Search registry for image'
  static description = `Search registries for a given image. Can search all the default registries or a specific registry.

	Users can limit the number of results, and filter the output based on certain conditions.`
  static aliases = ['search']
  static examples = [
    '<%= config.bin %> search --filter=is-official --limit 3 alpine',
    '<%= config.bin %> search registry.fedoraproject.org/  # only works with v2 registries',
    '<%= config.bin %> search --format "table {{.Index}} {{.Name}}" registry.fedoraproject.org/fedora',
  ]
  static args = {term: Args.string({required: true, description: 'term'})}
  static flags = {
    authfile: Flags.string({description: 'Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    'cert-dir': Flags.string({description: 'Pathname of a directory containing TLS certificates and keys'}),
    compatible: Flags.boolean({description: 'List stars, official and automated columns (Docker compatibility)'}),
    creds: Flags.string({description: 'Credentials (USERNAME:PASSWORD) to use for authenticating to a registry'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions provided (default [])'}),
    format: Flags.string({description: 'Change the output format to JSON or a Go template'}),
    limit: Flags.integer({description: 'Limit the number of results', helpValue: 'int'}),
    'list-tags': Flags.boolean({description: 'List the tags of the input registry'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate the output'}),
    'tls-verify': Flags.boolean({description: 'Require HTTPS and verify certificates when contacting registries (default true)', allowNo: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageSearch)
    // a string slice, as pflag's: "stars=3,is-official" is two filters
    const filters = (flags.filter ?? []).flatMap((f) => f.split(','))
    if (flags['list-tags'] && filters.length > 0) throw new UsageError('filters are not applicable to list tags result')
    const authfile = existingAuthfile(flags.authfile)
    const context = {...imageContext({...flags, authfile}, this.interruptSignal()), certDir: flags['cert-dir']}
    const results = await this.engine(flags).searchImages(args.term, {filters, limit: flags.limit, listTags: flags['list-tags'], context})
    process.stdout.write(searchOutput(results, {format: flags.format, noTrunc: flags['no-trunc'], listTags: flags['list-tags'], compatible: flags.compatible}))
  }
}
