import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'

export default class NetworkReload extends TspodCommand {
  static summary = 'Reload firewall rules for one or more containers'
  static description =
    'netavark sets up the networks of each running container again, with the same addresses (after a firewall reload wiped its rules). Prints the ids reloaded.'
  static examples = ['<%= config.bin %> network reload ctr1', '<%= config.bin %> network reload --all']
  static strict = false
  static args = {containers: Args.string({description: 'containers'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Reload network configuration of all containers'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(NetworkReload)
    const networks = await this.engine(parsed.flags).networks()
    const errors = await networks.reload(this.positionalArgs(parsed), {all: parsed.flags.all}, (id) => this.print(id))
    if (errors.length === 0) return
    errors.slice(0, -1).forEach((e) => printError(e, false))
    throw errors.at(-1)
  }
}
