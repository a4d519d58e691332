import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {volumeRemovalExitCode} from '../../cli/exit-codes'

export default class NetworkRm extends TspodCommand {
  static summary = 'Remove networks'
  static description =
    'A network in use is not removed unless --force, which removes the containers using it first (a network not found is then ignored). ' +
    'Exit status: 0 all removed, 1 a network was not found, 2 a network is in use, 125 any other error (as podman network rm).'
  static examples = ['<%= config.bin %> network rm podman1', '<%= config.bin %> network rm -f mynet']
  static aliases = ['network:remove']
  static strict = false
  static args = {networks: Args.string({required: true, description: 'networks'})}
  static flags = {
    force: Flags.boolean({char: 'f', description: 'remove any containers using network'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for running containers to stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(NetworkRm)
    const {flags} = parsed
    const networks = await this.engine(flags).networks()
    const errors = await networks.remove(this.positionalArgs(parsed), {force: flags.force, timeout: flags.time}, (name) => this.print(name))
    if (errors.length === 0) return
    errors.forEach((e) => printError(e, false))
    this.exit(volumeRemovalExitCode(errors))
  }
}
