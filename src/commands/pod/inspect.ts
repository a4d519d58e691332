import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderRecord, toJson} from '../../cli/render'

export default class PodInspect extends TspodCommand {
  static summary = 'Displays a pod configuration'
  static args = {pod: Args.string({required: true, description: 'pod name or ID'})}
  static flags = {format: Flags.string({char: 'f', description: 'Format the output to a Go template or json'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PodInspect)
    const pods = await this.engine(flags).pods()
    const record = pods.inspect(args.pod)
    this.print(flags.format && flags.format !== 'json' ? renderRecord(record, flags.format).replace(/\n$/, '') : toJson(record))
  }
}
