import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class PodExists extends TspodCommand {
  static summary = 'Check if a pod exists in local storage'
  static description = 'If the named pod exists, tspod pod exists exits with 0, otherwise the exit code will be 1.'
  static args = {pod: Args.string({required: true, description: 'pod name or ID'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PodExists)
    if (!(await this.engine(flags).pods()).exists(args.pod)) this.exit(1)
  }
}
