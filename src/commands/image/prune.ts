import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'

/** One line from stdin; "" at end of input (no terminal, no answer: the default, No). */
function readLine(): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    const done = () => {
      process.stdin.pause()
      resolve(text)
    }
    process.stdin.on('data', (d) => {
      text += String(d)
      if (text.includes('\n')) done()
    })
    process.stdin.once('end', done)
  })
}

export default class ImagePrune extends TspodCommand {
  static summary = 'Remove unused images'
  static description = 'Removes dangling images (those without a name); with --all, every image.'
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all images not in use by containers, not just dangling ones'}),
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ImagePrune)
    if (!flags.force) {
      process.stderr.write(`WARNING! This command removes all ${flags.all ? 'images without at least one container associated with them' : 'dangling images'}.\nAre you sure you want to continue? [y/N] `)
      if (!/^y(es)?$/i.test((await readLine()).trim())) return
    }
    const ids = await this.engine(flags).pruneImages({all: flags.all})
    if (ids.length > 0) this.print(ids.join('\n'))
  }
}
