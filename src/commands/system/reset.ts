import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {confirm} from '../../cli/prompt'

export default class SystemReset extends TspodCommand {
  static summary = 'Reset tspod storage'
  static description =
    'Reset tspod storage back to default state\n\n' +
    'All containers will be stopped and removed, and all images, volumes and container content will be removed: the graph root and the run root are deleted.'
  static flags = {
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemReset)
    const engine = this.engine(flags)
    const config = engine.config
    if (!flags.force) {
      const question = [
        'WARNING! This will remove:',
        '        - all containers',
        '        - all images',
        '        - all volumes',
        `        - the graphRoot directory: ${JSON.stringify(config.graphRoot)}`,
        `        - the runRoot directory: ${JSON.stringify(config.runRoot)}`,
        'Are you sure you want to continue? [y/N] ',
      ].join('\n')
      const yes = await confirm(question).catch((err: Error) => {
        // Podman logs the read error (no answer: EOF) and exits 1, not 125, here
        process.stderr.write(`ERRO[0000] ${err.message}\n`)
        return this.exit(1)
      })
      if (!yes) return
    }
    const {warnings, configFile} = await engine.reset()
    for (const warning of warnings) this.printWarning(warning)
    if (configFile) this.print(`A storage.conf file exists at ${configFile}\nYou should remove this file if you did not modify the configuration.`)
  }
}
