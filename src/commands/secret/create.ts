import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {secretData} from '../../cli/secret-input'

export default class SecretCreate extends TspodCommand {
  static summary = 'Create a new secret'
  static description = 'Create a secret. Input can be a path to a file or "-" (read from stdin). Default driver is file (unencrypted).'
  static usage = '[options] NAME FILE|-'
  static examples = ['<%= config.bin %> secret create mysecret /path/to/secret', 'printf "secretdata" | <%= config.bin %> secret create mysecret -']
  static args = {
    name: Args.string({required: true, description: 'NAME'}),
    source: Args.string({required: true, description: 'FILE|-'}),
  }
  static flags = {
    driver: Flags.string({char: 'd', default: 'file', description: 'Specify secret driver'}),
    'driver-opts': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Specify driver specific options'}),
    env: Flags.boolean({default: false, description: 'Read secret data from environment variable'}),
    label: Flags.string({char: 'l', multiple: true, multipleNonGreedy: true, description: 'Specify labels on the secret'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SecretCreate)
    const data = secretData(args.source, flags.env)
    const id = await (
      await this.engine(flags).secrets()
    ).create({
      name: args.name,
      data,
      driver: flags.driver,
      driverOptions: flags['driver-opts'],
      labels: flags.label,
    })
    this.print(id)
  }
}
