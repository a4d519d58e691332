import {Args} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'

export default class Unshare extends TspodCommand {
  static summary = 'Run a command in a modified user namespace'
  static description =
    "Runs a command (default: $SHELL) as root of tspod's rootless user namespace, in a mount namespace of its own, so that it can " +
    'read and change files that containers own by subordinate ids. $CONTAINERS_GRAPHROOT and $CONTAINERS_RUNROOT name the store. ' +
    'The exit code is the command\'s.'
  static examples = ['<%= config.bin %> unshare id', '<%= config.bin %> unshare cat /proc/self/uid_map', '<%= config.bin %> unshare rm -rf DIR']
  static strict = false
  static args = {command: Args.string({description: 'COMMAND [ARG...]'})}

  async run(): Promise<void> {
    const parsed = await this.parse(Unshare)
    const code = await this.engine(parsed.flags).unshare(this.positionalArgs(parsed), {shell: process.env.SHELL})
    if (code !== 0) this.exit(code)
  }
}
