import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {isJsonFormat} from '../../cli/format/go-template'
import {renderList} from '../../cli/render'
import {UsageError} from '../../engine'
import {networkRow} from '../../cli/network-rows'

const TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}'
const HEADERS = {ID: 'NETWORK ID'}

export default class NetworkLs extends TspodCommand {
  static summary = 'List networks'
  static description = 'List networks: name, id, driver, label, label!, dangling and until filters, a Go template or JSON.'
  static aliases = ['network:list']
  static flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'name=podman')"}),
    format: Flags.string({description: 'Pretty-print networks to JSON or using a Go template'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate the network ID'}),
    noheading: Flags.boolean({description: 'Do not print headers'}),
    quiet: Flags.boolean({char: 'q', description: 'display only names'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(NetworkLs)
    if (flags.quiet && flags.format !== undefined) throw new UsageError('quiet and format flags cannot be used together')
    const networks = await (await this.engine(flags).networks()).list(flags.filter ?? [])
    // Podman's `network ls` JSON is indented by two spaces, unlike its inspect
    if (flags.format !== undefined && isJsonFormat(flags.format)) {
      this.print(JSON.stringify(networks, null, 2))
      return
    }
    const format = flags.quiet ? '{{.Name}}' : flags.format
    const rows = networks.map((n) => networkRow(n, !flags['no-trunc']))
    const out = renderList(networks, rows, format, {table: TABLE, headers: HEADERS}, flags.noheading)
    if (out) process.stdout.write(out)
  }
}
