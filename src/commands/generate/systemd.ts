import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {executablePath} from '../../cli/program-name'
import {unitsOutput, writeUnitFiles} from '../../cli/systemd-output'
import {UsageError} from '../../engine'

// pflag's StringArray (each value whole, no comma split) and uint, as help names them
const many = {multiple: true, multipleNonGreedy: true, helpValue: 'stringArray'} as const
const uint = {min: 0, helpValue: 'uint'} as const

export default class GenerateSystemd extends TspodCommand {
  static summary = 'Generate systemd units.'
  static description = `Generate systemd units for a pod or container.
The generated units can later be controlled via systemctl(1).`
  static usage = '[options] {CONTAINER|POD}'
  static args = {name: Args.string({required: true, description: 'a container or pod'})}
  static examples = ['<%= config.bin %> generate systemd CTR', '<%= config.bin %> generate systemd --new --time 10 CTR', '<%= config.bin %> generate systemd --files --name POD']
  static flags = {
    name: Flags.boolean({char: 'n', description: 'Use container/pod names instead of IDs'}),
    files: Flags.boolean({char: 'f', description: 'Generate .service files instead of printing to stdout'}),
    template: Flags.boolean({description: 'Make it a template file and use %i and %I specifiers. Working only for containers'}),
    'start-timeout': Flags.integer({...uint, description: 'Start timeout override'}),
    'stop-timeout': Flags.integer({...uint, description: 'Stop timeout override (default 10)'}),
    // the flag's first name, kept for scripts; --timeout is an older name of it
    time: Flags.integer({char: 't', ...uint, aliases: ['timeout'], hidden: true, description: 'Backwards alias for --stop-timeout'}),
    new: Flags.boolean({allowNo: true, description: 'Create a new container or pod instead of starting an existing one'}),
    'no-header': Flags.boolean({description: 'Skip header generation'}),
    'container-prefix': Flags.string({default: 'container', description: 'Systemd unit name prefix for containers'}),
    'pod-prefix': Flags.string({default: 'pod', description: 'Systemd unit name prefix for pods'}),
    separator: Flags.string({default: '-', description: 'Systemd unit name separator between name/id and prefix'}),
    'restart-policy': Flags.string({description: 'Systemd restart-policy (default "on-failure")'}),
    'restart-sec': Flags.integer({...uint, description: 'Systemd restart-sec'}),
    format: Flags.string({default: '', description: 'Print the created units in specified format (json)'}),
    wants: Flags.string({...many, description: 'Add (weak) requirement dependencies to the generated unit file'}),
    after: Flags.string({...many, description: 'Add dependencies order to the generated unit file'}),
    requires: Flags.string({...many, description: 'Similar to wants, but declares stronger requirement dependencies'}),
    env: Flags.string({char: 'e', ...many, description: 'Set environment variables to the systemd unit files'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(GenerateSystemd)
    if (flags.new === false && flags.template) throw new UsageError('--template cannot be set with --new=false')
    if (flags['stop-timeout'] !== undefined && flags.time !== undefined) throw new UsageError('stop-timeout and time are redundant and cannot be used together')
    const units = await this.engine(flags).systemdUnits(
      args.name,
      {
        name: flags.name,
        // a template unit always creates its container
        new: flags.new === true || flags.template,
        noHeader: flags['no-header'],
        template: flags.template,
        restartPolicy: flags['restart-policy'],
        restartSec: flags['restart-sec'],
        startTimeout: flags['start-timeout'],
        stopTimeout: flags['stop-timeout'] ?? flags.time,
        containerPrefix: flags['container-prefix'],
        podPrefix: flags['pod-prefix'],
        separator: flags.separator,
        wants: flags.wants ?? [],
        after: flags.after ?? [],
        requires: flags.requires ?? [],
        env: flags.env ?? [],
      },
      {executable: executablePath(), now: new Date(), onWarning: (w) => this.printWarning(w)},
    )
    const shown = flags.files ? writeUnitFiles(units, process.cwd(), flags.format === '') : units
    const text = unitsOutput(shown, flags.format)
    if (text !== '') process.stdout.write(text)
  }
}
