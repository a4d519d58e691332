import {Flags} from '@oclif/core'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {pipeline} from 'node:stream/promises'

import {TspodCommand} from '../../cli/base-command'
import {pullReporter} from '../../cli/pull-progress'
import {UsageError} from '../../errors'
import type {CopyEvent} from '../../storage/image/copy/copy'
import {downloadArchive, isArchiveUrl} from '../../storage/image/download-archive'
import {loadImages} from '../../storage/image/load'

export default class ImageLoad extends TspodCommand {
  static summary = 'Load image(s) from a tar archive'
  static description = 'Reads a docker-archive (docker save, podman save) or oci-archive, from --input or stdin, and stores every image in it.'
  static aliases = ['load']
  static flags = {
    input: Flags.string({char: 'i', description: 'Read from specified archive file, or an http(s) URL of one (default: stdin)'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress the output'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ImageLoad)
    const store = await this.openStore(flags)
    if (!flags.input && process.stdin.isTTY) throw new UsageError('cannot read from terminal, use command-line redirection or the --input flag')
    let file = flags.input
    let work: string | undefined
    const reporter = pullReporter(flags.quiet)
    try {
      if (file && isArchiveUrl(file)) {
        work = store.newWorkDir('tmp')
        file = path.join(work, 'download.tar')
        await downloadArchive(flags.input!, file, this.interruptSignal())
      } else if (!file) {
        work = store.newWorkDir('tmp')
        file = path.join(work, 'stdin.tar')
        await pipeline(process.stdin, fs.createWriteStream(file))
      }
      const label = !flags.input ? 'the archive read from stdin' : isArchiveUrl(flags.input) ? flags.input : path.resolve(flags.input)
      const options = {
        ctx: {signal: this.interruptSignal(), registries: this.registries()},
        isTerminal: false,
        onEvent: (e: CopyEvent) => reporter.event(e),
        onWarning: (w: string) => process.stderr.write(`WARN[0000] ${w}\n`),
      }
      const images = await loadImages(store, path.resolve(file), options, label)
      reporter.stop()
      // the names the archive gave, not others the image already had
      for (const {image, names: given} of images) {
        const names = given.length > 0 ? given : [`sha256:${image.id}`]
        for (const name of names) this.print(`Loaded image: ${name}`)
      }
    } finally {
      reporter.stop()
      if (work) fs.rmSync(work, {recursive: true, force: true})
    }
  }
}
