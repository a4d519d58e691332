import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import type {Finding} from '../../engine'

/** One line per finding: what, on what, and with --repair what became of it. */
function findingLine(f: Finding): string {
  const outcome = f.repaired === true ? ' (repaired)' : f.repaired === false ? ` (not repaired${f.error ? `: ${f.error}` : ''})` : ''
  return `${f.kind}: ${f.subject} ${f.message}${outcome}`
}

export default class SystemCheck extends TspodCommand {
  static summary = 'Perform consistency checks on image and container storage'
  static description =
    'Exits 0 when the store is clean (or every finding was repaired), 1 when damage was found (and, with --repair, some remains).'
  static flags = {
    quick: Flags.boolean({char: 'q', description: 'Skip time-consuming checks'}),
    repair: Flags.boolean({char: 'r', description: 'Repair what can be repaired: rebuild a damaged database from the store files, remove what cannot be rebuilt'}),
    force: Flags.boolean({char: 'f', description: 'With --repair, also remove containers that use damaged images'}),
    max: Flags.string({char: 'm', description: 'Layers used by no image and older than this duration count as left by a cancelled pull', default: '24h'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemCheck)
    const {findings, damaged} = await this.engine(flags).checkStorage({quick: flags.quick, repair: flags.repair, force: flags.force, max: flags.max})
    for (const f of findings) this.print(findingLine(f))
    if (damaged) this.exit(1)
  }
}
