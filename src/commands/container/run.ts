import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {createFlags, createFromArgv, printWarnings} from '../../cli/container-flags'
import {runAttached} from '../../runtime/container/attach'
import {startDetachedOnce} from '../../runtime/container/detach'
import {removeContainer} from '../../runtime/container/remove'
import {removeImages} from '../../storage/store/images/remove'
import type {Store} from '../../storage/store/store'

export default class Run extends ContainerCommand {
  static summary = 'Run a command in a new container'
  static description =
    "Exits with the command's status (125 tspod error, 126 the command cannot run, 127 not found). " +
    'With -d the container runs in the background under a small monitor process and its output goes to its log (tspod logs). ' +
    "Networking: slirp4netns (the default, with -p to publish ports), host, none or ns:PATH. With -t the container gets a terminal of its own (with -i, this terminal's input in raw mode)."
  static aliases = ['run']
  static examples = ['<%= config.bin %> run --rm alpine id', '<%= config.bin %> run -d --name web alpine sleep 1000', '<%= config.bin %> run --rm --user 1234 -e TEST=here alpine env']
  static strict = false
  static args = {image: Args.string({required: true, description: 'image'}), command: Args.string({description: 'command and arguments'})}
  static flags = {
    detach: Flags.boolean({char: 'd', description: 'Run container in background and print container ID'}),
    rmi: Flags.boolean({description: 'After exit of the container, remove the image unless another container is using it (a foreground run only: ignored with -d, as Podman 4.3)'}),
    ...createFlags,
  }

  async run(): Promise<void> {
    const parsed = await this.parse(Run)
    const {flags} = parsed
    const argv = this.positionalArgs(parsed)
    const {store, records} = await this.openContainers(flags)
    const {container, warnings} = await createFromArgv(store, records, this.registries(), flags, argv, this.interruptSignal())
    printWarnings(warnings)
    const removeIfAuto = async () => {
      const current = records.get(container.config.id)
      if (current && container.config.autoRemove) await removeContainer(store, records, current, {force: true})
    }
    if (flags.detach) {
      try {
        printWarnings(await startDetachedOnce(store, records, container.config.id))
      } catch (err) {
        await removeIfAuto()
        throw err
      }
      this.print(container.config.id)
      return
    }
    let code: number
    try {
      code = await runAttached(store, records, container, {
        interactive: flags.interactive,
        log: !container.config.autoRemove,
        onLaunched: (launched) => printWarnings(launched.warnings),
      })
    } finally {
      await removeIfAuto()
      if (flags.rmi) await this.removeImage(store, argv[0])
    }
    if (code !== 0) this.exit(code)
  }

  /** --rmi: the image goes (or the name, if it has others) unless a container still uses it; an error is printed, the exit code stays the container's. */
  private async removeImage(store: Store, name: string): Promise<void> {
    const report = await removeImages(store, [name], {force: false, all: false, registries: this.registries()})
    for (const err of report.errors) process.stderr.write(`ERRO[0000] ${err.message}\n`)
  }
}
