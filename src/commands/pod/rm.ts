import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {removalExitCode} from '../../cli/exit-codes'
import {UsageError} from '../../engine/errors'

export default class PodRm extends ContainerCommand {
  static summary = 'Remove one or more stopped pods and containers'
  static aliases = ['pod:remove']
  static strict = false
  static args = {pods: Args.string({description: 'pods'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all running pods'}),
    force: Flags.boolean({char: 'f', description: 'Stop running containers and delete all stopped containers before removal of pod'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified pod is missing'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for pod stop before killing the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(PodRm)
    const {flags} = parsed
    if (flags.time !== undefined && !flags.force) throw new UsageError('--force option must be specified to use the --time option')
    const pods = await this.engine(flags).pods()
    // as Podman's: --force also ignores a missing pod; 1 when every failure was a missing pod
    const errors = await pods.remove({names: this.positionalArgs(parsed), all: flags.all, ignore: flags.ignore || flags.force, force: flags.force, timeout: flags.time}, this.targetEvents())
    if (errors.length > 0) this.exit(removalExitCode(errors))
  }
}
