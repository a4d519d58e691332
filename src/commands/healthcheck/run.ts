import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

export default class HealthcheckRun extends TspodCommand {
  static summary = 'run the health check of a container'
  static description = 'run the health check of a container: prints "unhealthy" and exits 1 when the check fails, exits 0 when it passes'
  static examples = ['<%= config.bin %> healthcheck run mywebapp']
  static args = {container: Args.string({required: true, description: 'CONTAINER'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(HealthcheckRun)
    if (await this.engine(flags).healthcheckRun(args.container)) {
      this.print('unhealthy')
      this.exit(1)
    }
  }
}
