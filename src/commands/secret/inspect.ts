import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderInspect} from '../../cli/render'
import {UsageError} from '../../engine/errors'
import {prettySecret} from '../../engine'

export default class SecretInspect extends TspodCommand {
  static summary = 'Inspect a secret'
  static description = 'Display detail information on one or more secrets'
  static examples = ['<%= config.bin %> secret inspect MYSECRET']
  static usage = '[options] SECRET [SECRET...]'
  static strict = false
  static args = {secrets: Args.string({description: 'SECRET'})}
  static flags = {
    format: Flags.string({char: 'f', description: 'Format inspect output using Go template'}),
    pretty: Flags.boolean({default: false, description: 'Print inspect output in human-readable format'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(SecretInspect)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    if (names.length === 0) throw new UsageError('requires at least 1 arg(s), only received 0')
    const {records, errors} = (await this.engine(flags).secrets()).inspect(names)
    // as Podman: --pretty wins over --format
    process.stdout.write(flags.pretty ? records.map(prettySecret).join('') : renderInspect(records, flags.format))
    for (const err of errors.slice(1)) process.stderr.write(`${err.message}\n`)
    if (errors.length > 0) throw errors[0]
  }
}
