import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {programName} from '../../cli/program-name'
import {UsageError} from '../../engine'

export default class ImageMount extends TspodCommand {
  static summary = "Mount an image's root filesystem"
  static description =
    "Mounts the images' root filesystems read-only and prints each mount point; without images, lists those mounted. A rootless user must run " +
    "it in tspod's user namespace (`tspod unshare`), as Podman requires. A mount lives as long as the `unshare` session that made it (tspod " +
    "keeps no pause process as Podman does); the list and the counts are the current session's. rmi removes a mounted image, unmounting it."
  static examples = ['<%= config.bin %> image mount imgID', '<%= config.bin %> image mount imgID1 imgID2 imgID3', '<%= config.bin %> image mount', '<%= config.bin %> image mount --all']
  static strict = false
  static args = {images: Args.string({description: 'IMAGE...'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Mount all images'}),
    format: Flags.string({description: 'Print the mounted images in specified format (json)'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(ImageMount)
    const {flags} = parsed
    const names = this.positionalArgs(parsed)
    const command = `${programName()} ${this.commandPath().join(' ')}`
    if (flags.all && names.length > 0) throw new UsageError('when using the --all switch, you may not pass any image names or IDs')
    if (flags.format !== undefined && flags.format !== 'json') throw new UsageError(`unknown --format argument: ${JSON.stringify(flags.format)}`)
    const engine = this.engine(flags)
    const justMounted = names.length > 0 ? await engine.mountImages({names}, command) : undefined
    if (justMounted && flags.format !== 'json') {
      for (const m of justMounted) this.print(m.mountpoint)
      return
    }
    // --all mounts every image, then lists the mounted ones, as Podman; json with images: just those
    if (flags.all) await engine.mountImages({names: [], all: true}, command)
    const mounted = (await engine.listMountedImages(command)).filter((m) => !justMounted || justMounted.some((j) => j.id === m.id))
    if (flags.format === 'json') {
      const rows = mounted.map((m) => ({id: m.id, Names: [m.digest], Repositories: m.repositories, mountpoint: m.mountpoint}))
      this.print(JSON.stringify(rows, null, 1))
      return
    }
    const shown = mounted.map((m) => ({name: m.repositories[0] ?? m.id.slice(0, 12), mountpoint: m.mountpoint}))
    const width = Math.max(0, ...shown.map((s) => s.name.length))
    for (const s of shown) this.print(`${s.name.padEnd(width)}  ${s.mountpoint}`)
  }
}
