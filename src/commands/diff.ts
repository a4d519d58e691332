import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {diffFormatFlag, renderChanges} from '../cli/diff-output'
import {UsageError} from '../engine/errors'

export default class Diff extends TspodCommand {
  static summary = 'Display the changes to the object\'s file system (a container, else an image)'
  static args = {name: Args.string({description: 'container or image'})}
  static flags = {
    format: diffFormatFlag,
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container tspod is aware of'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Diff)
    if (!args.name && !flags.latest) throw new UsageError('"tspod diff" requires a name, id, or the "--latest" flag')
    if (args.name && flags.latest) throw new UsageError('--latest and containers cannot be used together')
    process.stdout.write(renderChanges(await this.engine(flags).diff(args.name, {type: 'all', latest: flags.latest}), flags.format))
  }
}
