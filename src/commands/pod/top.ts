import {Args} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {topTable} from '../../cli/top-table'
import {UsageError} from '../../engine'

export default class PodTop extends ContainerCommand {
  static summary = 'Display the running processes of containers in a pod'
  static description = 'The processes of every running container of the pod, a shared pid namespace once, in ps(1) AIX format descriptors as `top` takes them.'
  static strict = false
  static args = {pod: Args.string({description: 'pod'}), descriptors: Args.string({description: 'format descriptors'})}

  async run(): Promise<void> {
    const parsed = await this.parse(PodTop)
    const [name, ...descriptors] = this.positionalArgs(parsed)
    if (!name) throw new UsageError('you must provide the name or id of a running pod')
    const {headers, rows} = await (await this.engine(parsed.flags).pods()).top(name, descriptors)
    process.stdout.write(topTable(headers, rows))
  }
}
