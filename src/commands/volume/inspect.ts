import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {isJsonFormat} from '../../cli/format/go-template'
import {renderRecord, toJson} from '../../cli/render'
import {UsageError} from '../../engine'

export default class VolumeInspect extends TspodCommand {
  static summary = 'Display detailed information on one or more volumes'
  static description = 'Use a Go template to change the format from JSON.'
  static examples = ['<%= config.bin %> volume inspect myvol', '<%= config.bin %> volume inspect --all', '<%= config.bin %> volume inspect --format "{{.Driver}} {{.Scope}}" myvol']
  static strict = false
  static args = {volumes: Args.string({description: 'volumes'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Inspect all volumes'}),
    format: Flags.string({char: 'f', default: 'json', description: 'Format volume output using Go template'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(VolumeInspect)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const names = argv
    if (Boolean(flags.all) === names.length > 0) throw new UsageError('provide one or more volume names or use --all')
    const {records, rows, errors} = await this.engine(flags).inspectVolumes({names, all: flags.all})
    if (isJsonFormat(flags.format) || flags.format === '') process.stdout.write(toJson(records))
    else process.stdout.write(rows.map((r) => renderRecord(r, flags.format)).join(''))
    // as Podman's inspect: the other errors on their own lines, then the first as the command's error
    for (const err of errors.slice(1)) process.stderr.write(`${err.message}\n`)
    if (errors.length > 0) throw errors[0]
  }
}
