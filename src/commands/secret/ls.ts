import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {timeAgo} from '../../cli/units'

const TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}'
const HEADERS = {ID: 'ID', Name: 'NAME', Driver: 'DRIVER', CreatedAt: 'CREATED', UpdatedAt: 'UPDATED'}

export default class SecretLs extends TspodCommand {
  static summary = 'List secrets'
  static description = 'List all secrets, or those the filters select (name=REGEX, id=REGEX).'
  static examples = ['<%= config.bin %> secret ls']
  static aliases = ['secret:list']
  static flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter secret output'}),
    format: Flags.string({description: 'Format volume output using Go template'}),
    noheading: Flags.boolean({default: false, description: 'Do not print headers'}),
    quiet: Flags.boolean({char: 'q', default: false, description: 'Print secret IDs only'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SecretLs)
    const records = (await this.engine(flags).secrets()).list(flags.filter ?? [])
    // Podman's list report: the times as "2 hours ago"
    const rows = records.map((r) => ({ID: r.ID, Name: r.Spec.Name, Driver: r.Spec.Driver.Name, CreatedAt: timeAgo(new Date(r.CreatedAt)), UpdatedAt: timeAgo(new Date(r.UpdatedAt))}))
    const format = flags.quiet ? '{{.ID}}' : flags.format
    process.stdout.write(renderList(records, rows, format, {table: TABLE, headers: HEADERS}, flags.noheading))
  }
}
