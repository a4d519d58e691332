import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'

export default class Logout extends TspodCommand {
  static summary = 'Log out of a container registry'
  static description = 'Removes the credentials stored for the registry (without one, the first of unqualified-search-registries) from the auth file.'
  static args = {registry: Args.string({description: 'registry (host[:port], or host[:port]/namespace/repository)'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove the cached credentials for all registries in the auth file'}),
    authfile: Flags.string({description: 'path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logout)
    const key = await this.engine(flags).logout({registry: args.registry, all: flags.all, authFile: flags.authfile})
    this.print(key === undefined ? 'Removed login credentials for all registries' : `Removed login credentials for ${key}`)
  }
}
