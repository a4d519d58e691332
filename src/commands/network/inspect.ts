import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {isJsonFormat} from '../../cli/format/go-template'
import {renderRecord} from '../../cli/render'
import {networkJson} from '../../engine'
import {inspectRow} from '../../cli/network-rows'

export default class NetworkInspect extends TspodCommand {
  static summary = 'Displays the raw network configuration for one or more networks.'
  static description = 'The network configs as netavark reads them, or rendered through a Go template.'
  static examples = ['<%= config.bin %> network inspect podman']
  static strict = false
  static args = {networks: Args.string({required: true, description: 'networks'})}
  static flags = {format: Flags.string({char: 'f', description: 'Pretty-print network to JSON or using a Go template'})}

  async run(): Promise<void> {
    const parsed = await this.parse(NetworkInspect)
    const {flags} = parsed
    const {networks, errors} = await (await this.engine(flags).networks()).inspect(this.positionalArgs(parsed))
    if (flags.format === undefined || flags.format === '' || isJsonFormat(flags.format)) this.print(networkJson(networks))
    else process.stdout.write(networks.map((n) => renderRecord(inspectRow(n), flags.format!)).join(''))
    for (const err of errors.slice(1)) process.stderr.write(`${err.message}\n`)
    if (errors.length > 0) throw errors[0]
  }
}
