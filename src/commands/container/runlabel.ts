import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {imageContext} from '../../cli/image-flags'
import {programName, selfInvocation} from '../../cli/program-name'
import {pullReporter} from '../../cli/pull-progress'

export default class Runlabel extends TspodCommand {
  static summary = 'Execute the command described by an image label'
  static description = 'Executes a command as described by a container image label.'
  static examples = [
    '<%= config.bin %> container runlabel run imageID',
    '<%= config.bin %> container runlabel install imageID arg1 arg2',
    '<%= config.bin %> container runlabel --display run myImage',
  ]
  static strict = false
  static args = {
    label: Args.string({required: true, description: 'label'}),
    image: Args.string({required: true, description: 'image'}),
    arg: Args.string({description: 'arguments appended to the command'}),
  }
  static flags = {
    authfile: Flags.string({description: 'Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    'cert-dir': Flags.string({description: 'Pathname of a directory containing TLS certificates and keys', helpValue: 'Pathname'}),
    creds: Flags.string({description: 'Credentials (USERNAME:PASSWORD) to use for authenticating to a registry', helpValue: 'Credentials'}),
    display: Flags.boolean({description: 'Preview the command that the label would run'}),
    name: Flags.string({char: 'n', description: 'Assign a name to the container'}),
    opt1: Flags.string({description: 'Optional parameter to pass for install', hidden: true}),
    opt2: Flags.string({description: 'Optional parameter to pass for install', hidden: true}),
    opt3: Flags.string({description: 'Optional parameter to pass for install', hidden: true}),
    pull: Flags.boolean({char: 'p', description: 'Pull the image if it does not exist locally prior to executing the label contents', hidden: true, allowNo: true}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when installing images'}),
    replace: Flags.boolean({description: 'Replace existing container with a new one from the image'}),
    'tls-verify': Flags.boolean({description: 'Require HTTPS and verify certificates when contacting registries', allowNo: true}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Runlabel)
    const {flags} = parsed
    const [label, image, ...args] = this.positionalArgs(parsed)
    if (flags.pull !== undefined) process.stderr.write(`Flag --pull has been deprecated, ${programName()} will pull if not found in local storage\n`)
    const signal = this.interruptSignal()
    const result = await this.engine(flags).runlabel(
      {
        label,
        image,
        authfile: flags.authfile,
        args,
        name: flags.name,
        opt1: flags.opt1,
        opt2: flags.opt2,
        opt3: flags.opt3,
        display: flags.display,
        quiet: flags.quiet,
        replace: flags.replace,
        pull: flags.pull ?? true,
        pullContext: () => ({...imageContext(flags, signal), certDir: flags['cert-dir']}),
        self: selfInvocation(),
        env: process.env,
        cwd: process.cwd(),
      },
      {pullProgress: () => pullReporter(flags.quiet ?? false), onWarning: (w) => this.printWarning(w)},
    )
    if (flags.display) this.print(`command: ${result.command.join(' ')}`)
  }
}
