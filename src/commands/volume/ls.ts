import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {isJsonFormat} from '../../cli/format/go-template'
import {renderList} from '../../cli/render'
import {UsageError} from '../../engine'

const TABLE = 'table {{.Driver}}\t{{.Name}}'
const HEADERS = {Name: 'VOLUME NAME'}

export default class VolumeLs extends TspodCommand {
  static summary = 'List volumes'
  static description = 'List all available volumes. The output of the volumes can be filtered and the output format can be changed to JSON or a user specified Go template.'
  static aliases = ['volume:list']
  static flags = {
    filter: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      description: 'Filter volume output (name, label, label!, driver, scope, opt, dangling, anonymous, since, after, until)',
    }),
    format: Flags.string({description: 'Format volume output using JSON or a Go template'}),
    noheading: Flags.boolean({char: 'n', description: 'Do not print headers'}),
    quiet: Flags.boolean({char: 'q', description: 'Print volume output in quiet mode'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VolumeLs)
    if (flags.quiet && flags.format !== undefined) throw new UsageError('quiet and format flags cannot be used together')
    const {records, rows} = await this.engine(flags).listVolumes(flags.filter ?? [])
    // Podman's `volume ls` JSON is indented by two spaces (json.MarshalIndent), unlike inspect's
    if (flags.format !== undefined && isJsonFormat(flags.format)) {
      this.print(JSON.stringify(records, null, 2))
      return
    }
    if (records.length === 0) return
    const format = flags.quiet ? '{{.Name}}' : flags.format
    const out = renderList(records, rows, format, {table: TABLE, headers: HEADERS}, flags.noheading)
    if (out) process.stdout.write(out)
  }
}
