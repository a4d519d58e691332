import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class SecretExists extends TspodCommand {
  static summary = 'Check if a secret exists in local storage'
  static description = 'If the named secret exists, tspod secret exists exits with 0, otherwise the exit code will be 1.'
  static examples = ['<%= config.bin %> secret exists ID', '<%= config.bin %> secret exists SECRET || <%= config.bin %> secret create SECRET <secret source>']
  static args = {secret: Args.string({required: true, description: 'SECRET'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SecretExists)
    if (!(await this.engine(flags).secrets()).exists(args.secret)) this.exit(1)
  }
}
