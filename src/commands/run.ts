import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {imageContext, pullFlags} from '../cli/image-flags'
import {pullReporter} from '../cli/pull-progress'
import {UsageError} from '../errors'
import {findImage} from '../storage/image/lookup'
import {pullImage} from '../storage/pull'
import {runContainer} from '../runtime/run'

export default class Run extends TspodCommand {
  static summary = 'Run a command in a new container'
  static description =
    'Runs in the foreground with the native rootless runtime and exits with the command\'s status (125 tspod error, 126 the command cannot run, 127 not found). ' +
    'Containers are not kept yet: each is removed when it ends, as with --rm. Networking: none (default) or host. ' +
    'With -t the container gets a terminal of its own (with -i, this terminal\'s input in raw mode).'
  static examples = ['<%= config.bin %> run --rm alpine id', '<%= config.bin %> run --rm --user 1234 -e TEST=here alpine env']
  static strict = false
  static args = {image: Args.string({required: true, description: 'image'}), command: Args.string({description: 'command and arguments'})}
  static flags = {
    interactive: Flags.boolean({char: 'i', description: 'Make STDIN available to the contained process'}),
    tty: Flags.boolean({char: 't', description: 'Allocate a pseudo-TTY for container'}),
    rm: Flags.boolean({description: 'Remove container and any anonymous unnamed volume associated with the container after exit (always, for now)'}),
    env: Flags.string({char: 'e', multiple: true, multipleNonGreedy: true, description: 'Set environment variables in container'}),
    'env-file': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read in a file of environment variables'}),
    'env-host': Flags.boolean({description: 'Use all current host environment variables in container'}),
    user: Flags.string({char: 'u', description: 'Username or UID (format: <name|uid>[:<group|gid>])'}),
    workdir: Flags.string({char: 'w', description: 'Working directory inside the container'}),
    entrypoint: Flags.string({description: 'Overwrite the default ENTRYPOINT of the image'}),
    hostname: Flags.string({char: 'h', description: 'Set container hostname'}),
    'group-add': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Add additional groups to the primary container process. \'keep-groups\' allows container processes to use supplementary groups.'}),
    'cap-add': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Add capabilities to the container'}),
    'cap-drop': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Drop capabilities from the container'}),
    volume: Flags.string({char: 'v', multiple: true, multipleNonGreedy: true, description: 'Bind mount a volume into the container (SRC:DST[:ro])'}),
    tmpfs: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Mount a temporary filesystem (tmpfs) into a container'}),
    'read-only': Flags.boolean({description: 'Make containers root filesystem read-only'}),
    network: Flags.string({options: ['none', 'host'], description: 'Connect a container to a network: none (default) or host'}),
    ...pullFlags,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Run)
    const [imageName, ...command] = argv as string[]
    if (!imageName) throw new UsageError('requires at least 1 arg(s), only received 0')
    const store = await this.openStore(flags)
    const registries = this.registries()
    let image = findImage(store, imageName, registries)
    if (!image) {
      const reporter = pullReporter(false)
      try {
        image = await pullImage(store, imageName, {
          ctx: {...imageContext(flags, this.interruptSignal()), registries},
          isTerminal: false,
          report: (line) => reporter.line(line),
          onEvent: (e) => reporter.event(e),
        })
      } finally {
        reporter.stop()
      }
    }
    const result = await runContainer(store, image, {
      env: flags.env,
      envFile: flags['env-file'],
      envHost: flags['env-host'],
      user: flags.user,
      workdir: flags.workdir,
      entrypoint: flags.entrypoint,
      hostname: flags.hostname,
      groupAdd: flags['group-add'],
      capAdd: flags['cap-add'],
      capDrop: flags['cap-drop'],
      volumes: flags.volume,
      tmpfs: flags.tmpfs,
      readOnly: flags['read-only'],
      network: flags.network,
      args: command.length > 0 ? command : undefined,
      tty: flags.tty,
      interactive: flags.interactive,
    })
    for (const warning of result.warnings) process.stderr.write(`WARN[0000] ${warning}\n`)
    const signals = require('node:os').constants.signals as Record<string, number>
    const code = result.code ?? 128 + (result.signal ? signals[result.signal] : 0)
    if (code !== 0) this.exit(code)
  }
}
