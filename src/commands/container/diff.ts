import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {diffFormatFlag, renderChanges} from '../../cli/diff-output'
import {UsageError} from '../../engine/errors'

export default class ContainerDiff extends TspodCommand {
  static summary = 'Inspect changes to the container\'s file system'
  static args = {container: Args.string({description: 'container'})}
  static flags = {
    format: diffFormatFlag,
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container tspod is aware of'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ContainerDiff)
    if (!args.container && !flags.latest) throw new UsageError('"tspod container diff" requires a name, id, or the "--latest" flag')
    if (args.container && flags.latest) throw new UsageError('--latest and containers cannot be used together')
    process.stdout.write(renderChanges(await this.engine(flags).diff(args.container, {type: 'container', latest: flags.latest}), flags.format))
  }
}
