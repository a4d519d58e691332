import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {programName} from '../../cli/program-name'
import {UsageError} from '../../engine/errors'

export default class SecretRm extends TspodCommand {
  static summary = 'Remove one or more secrets'
  static description = 'Remove the named secrets, or all of them with --all; each removed secret\'s ID is printed.'
  static examples = ['<%= config.bin %> secret rm mysecret1 mysecret2']
  static usage = '[options] SECRET [SECRET...]'
  static strict = false
  static args = {secrets: Args.string({description: 'SECRET'})}
  static flags = {
    all: Flags.boolean({char: 'a', default: false, description: 'Remove all secrets'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(SecretRm)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    if (flags.all === names.length > 0) throw new UsageError(`\`${programName()} secret rm\` requires one argument, or the --all flag`)
    const errors = await (await this.engine(flags).secrets()).remove({names, all: flags.all}, (id) => this.print(id))
    if (errors.length === 0) return
    errors.slice(0, -1).forEach((e) => printError(e, false))
    throw errors[errors.length - 1]
  }
}
