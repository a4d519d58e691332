import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {createFlags} from '../../cli/container-flags'
import {attachedStreams, createInputOf} from '../../cli/create-input'
import {invocation} from '../../cli/invocation'
import {pullReporter} from '../../cli/pull-progress'

export default class Run extends ContainerCommand {
  static summary = 'Run a command in a new container'
  static description =
    "Exits with the command's status (125 tspod error, 126 the command cannot run, 127 not found). " +
    'With -d the container runs in the background under a small monitor process and its output goes to its log (tspod logs). ' +
    "Networking: pasta or slirp4netns (the rootless default: pasta when it works; -p publishes ports), named networks, host, none or ns:PATH. With -t the container gets a terminal of its own (with -i, this terminal's input in raw mode)."
  static aliases = ['run']
  static examples = ['<%= config.bin %> run --rm alpine id', '<%= config.bin %> run -d --name web alpine sleep 1000', '<%= config.bin %> run --rm --user 1234 -e TEST=here alpine env']
  static strict = false
  static args = {image: Args.string({required: true, description: 'image'}), command: Args.string({description: 'command and arguments'})}
  static flags = {
    detach: Flags.boolean({char: 'd', description: 'Run container in background and print container ID'}),
    attach: Flags.string({char: 'a', multiple: true, multipleNonGreedy: true, description: 'Attach to STDIN, STDOUT or STDERR (the streams left out still go to the log; attached to neither output, the container ID is printed)'}),
    'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container. Format is a single character [a-Z] or ctrl-<value> where <value> is one of: a-z, @, ^, [, , or _'}),
    rmi: Flags.boolean({description: 'After exit of the container, remove the image unless another container is using it (a foreground run only: ignored with -d, as Podman 4.3)'}),
    ...createFlags,
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Run)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const streams = attachedStreams(flags.attach)
    if (flags.tty && flags.interactive && !process.stdin.isTTY) this.printWarning('The input device is not a TTY. The --tty and --interactive flags might not work properly')
    const input = createInputOf(flags, argv, this.interruptSignal(), this.specWarning)
    const {id, exitCode} = await this.engine(flags).run(
      input,
      {detach: flags.detach, interactive: flags.interactive, removeImage: flags.rmi, streams, detachKeys: flags['detach-keys']},
      {
        pullProgress: () => pullReporter(flags.quiet ?? false),
        onWarning: (w) => this.printWarning(w),
        // --rmi: an error is printed, the exit code stays the container's
        onImageRemovalError: (err) => process.stderr.write(`ERRO[0000] ${err.message}\n`),
        // attached to neither output stream, Podman prints the container's ID instead
        onStarted: (id) => streams && !streams.stdout && !streams.stderr && this.print(id),
      },
    )
    if (flags.detach) this.print(id)
    // -it: the user detached, the container runs on
    else if (exitCode === undefined) invocation.leftRunning = true
    else if (exitCode !== 0) this.exit(exitCode)
  }
}
