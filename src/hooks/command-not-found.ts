import {Hook} from '@oclif/core'

import {programName} from '../cli/program-name'
import {UsageError} from '../errors'

/**
 * oclif reads `tspod info extra` as a command "info:extra". When a leading part names a real
 * command, run it with the rest as arguments, so it reports them as it reports any argument;
 * otherwise the command is unknown, in Podman's words.
 */
const hook: Hook<'command_not_found'> = async function (opts) {
  const words = opts.id.split(':')
  for (let n = words.length - 1; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    if (opts.config.findCommand(id)) return opts.config.runCommand(id, [...words.slice(n), ...(opts.argv ?? [])])
  }
  throw new UsageError(`unrecognized command \`${programName()} ${words.join(' ')}\``)
}

export default hook
