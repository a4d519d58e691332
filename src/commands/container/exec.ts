import {Args, Flags} from '@oclif/core'

import {ContainerCommand, latestFlag} from '../../cli/container-command'
import {invocation} from '../../cli/invocation'
import {UsageError} from '../../engine'

export default class Exec extends ContainerCommand {
  static summary = 'Run a process in a running container'
  static description = "Exits with the process's status (125 tspod error, 126 the command cannot run, 127 not found). With --detach, prints the exec session's ID once the process runs; its output is discarded (with --tty its terminal is held open for it) and it ends with the container."
  static aliases = ['exec']
  static strict = false
  static args = {container: Args.string({required: true, description: 'container'}), command: Args.string({description: 'command and arguments'})}
  static flags = {
    detach: Flags.boolean({char: 'd', description: 'Run the exec session in detached mode (backgrounded)'}),
    'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container. Format is a single character [a-Z] or ctrl-<value> where <value> is one of: a-z, @, ^, [, , or _'}),
    interactive: Flags.boolean({char: 'i', description: 'Make STDIN available to the contained process'}),
    tty: Flags.boolean({char: 't', description: 'Allocate a pseudo-TTY'}),
    env: Flags.string({char: 'e', multiple: true, multipleNonGreedy: true, description: 'Set environment variables'}),
    'env-file': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read in a file of environment variables'}),
    user: Flags.string({char: 'u', description: 'Sets the username or UID used and optionally the groupname or GID for the specified command'}),
    latest: latestFlag,
    workdir: Flags.string({char: 'w', description: 'Working directory inside the container'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Exec)
    const {flags} = parsed
    // with --latest every argument is the command's
    const [name, ...command] = flags.latest ? [await this.engine(flags).latestContainerId(), ...this.positionalArgs(parsed)] : this.positionalArgs(parsed)
    if (!name) throw new UsageError('exec requires the name or ID of a container or the --latest flag')
    const options = {
      command,
      interactive: flags.interactive,
      tty: flags.tty ?? false,
      env: flags.env,
      envFile: flags['env-file'],
      user: flags.user,
      workdir: flags.workdir,
      detachKeys: flags['detach-keys'],
    }
    if (flags.detach) {
      this.print(await this.engine(flags).execDetached(name, options))
      return
    }
    const code = await this.engine(flags).exec(name, options)
    // undefined: the user detached, the session runs on
    if (code === undefined) invocation.leftRunning = true
    else if (code !== 0) this.exit(code)
  }
}
