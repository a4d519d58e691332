import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {invocation} from '../../cli/invocation'
import {UsageError} from '../../engine'

export default class Attach extends ContainerCommand {
  static summary = 'Attach to a running container'
  static description =
    "Relays this terminal to the container's stdin, stdout and stderr (stdin only when it was created with -i); with a terminal (-t), in raw mode with the window size passed on. " +
    "The detach keys (default ctrl-p,ctrl-q, or containers.conf's detach_keys) leave it running and exit 0; when the container ends, exits with its exit code."
  static aliases = ['attach']
  static args = {container: Args.string({description: 'container'})}
  static flags = {
    'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container. Format is a single character [a-Z] or ctrl-<value> where <value> is one of: a-z, @, ^, [, , or _'}),
    'no-stdin': Flags.boolean({description: 'Do not attach STDIN. The default is false'}),
    'sig-proxy': Flags.boolean({default: true, allowNo: true, description: 'Proxy received signals to the container process (non-TTY mode only)'}),
    latest: latestFlag,
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parse(Attach)
    const engine = this.engine(flags)
    if (flags.latest && args.container) throw new UsageError('--latest and containers cannot be used together')
    const name = flags.latest ? await engine.latestContainerId() : args.container
    if (!name) throw new UsageError('attach requires the name or ID of a container or the --latest flag')
    const code = await engine.attach(name, {detachKeys: flags['detach-keys'], noStdin: flags['no-stdin'], sigProxy: flags['sig-proxy']})
    // undefined: the user detached, the container runs on
    if (code === undefined) invocation.leftRunning = true
    else if (code !== 0) this.exit(code)
  }
}
