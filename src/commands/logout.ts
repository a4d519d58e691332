import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {TspodError, UsageError} from '../errors'
import {removeAllCredentials, removeCredentials} from '../storage/image/config/auth-file'

export default class Logout extends TspodCommand {
  static summary = 'Log out of a container registry'
  static args = {registry: Args.string({description: 'registry'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove the cached credentials for all registries in the auth file'}),
    authfile: Flags.string({description: 'path of the authentication file'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logout)
    if (flags.all) {
      removeAllCredentials({authFile: flags.authfile})
      return this.print('Removed login credentials for all registries')
    }
    if (!args.registry) throw new UsageError('registry must be given')
    const key = args.registry.replace(/^(docker|https?):\/\//, '')
    if (!removeCredentials(key, {authFile: flags.authfile})) throw new TspodError(`not logged into ${key}`)
    this.print(`Removed login credentials for ${key}`)
  }
}
