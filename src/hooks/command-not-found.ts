import {Hook} from '@oclif/core'

import {UsageError} from '../errors'

const hook: Hook<'command_not_found'> = async function (opts) {
  throw new UsageError(`unrecognized command \`tspod ${opts.id.replaceAll(':', ' ')}\``)
}

export default hook
