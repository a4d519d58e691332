import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {SHELLS, completionScript} from '../cli/completion/scripts'
import {writeOutput} from '../cli/output-file'
import {invokedName} from '../cli/program-name'

export default class Completion extends TspodCommand {
  static summary = 'Generate shell autocompletions'
  static description =
    'Generate shell autocompletions.\nValid arguments are bash, zsh and fish.\n' +
    'The script completes commands, flags, and the names of containers, images and volumes in the store.'
  static hidden = true
  static args = {shell: Args.string({required: true, options: [...SHELLS], description: 'shell'})}
  static flags = {
    file: Flags.string({char: 'f', description: 'Output the completion to file rather than stdout'}),
    'no-desc': Flags.boolean({description: "Don't include descriptions in the completion output"}),
  }
  static examples = ['<%= config.bin %> completion bash', '<%= config.bin %> completion zsh -f _tspod', '<%= config.bin %> completion fish --no-desc']

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Completion)
    const script = completionScript(args.shell as (typeof SHELLS)[number], invokedName(), flags['no-desc'])
    writeOutput(flags.file, script)
  }
}
