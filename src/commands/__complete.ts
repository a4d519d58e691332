import {Config} from '@oclif/core'

import {GlobalFlags, TspodCommand} from '../cli/base-command'
import {DIRECTIVE, NameKind, complete, renderCompletion} from '../cli/completion/candidates'
import {commandTree} from '../cli/help/command-tree'

/** cobra's hidden completion command, which the scripts of `tspod completion` call: its words are not parsed as flags. */
export default class Complete extends TspodCommand {
  static summary = 'Request shell completion choices for the specified command-line'
  static hidden = true
  static strict = false
  static aliases = ['__completeNoDesc']

  async run(): Promise<void> {
    const withDescriptions = this.commandPath()[0] !== '__completeNoDesc'
    const tree = commandTree(this.config as Config)
    // the store the completed command line names, if it names one
    const engine = this.engine({root: this.wordValue('root'), runroot: this.wordValue('runroot')} as GlobalFlags)
    // as Podman's: IDs once two characters are typed; an image's name also without its leading path parts once one is
    const ids = (partial: string, id: string) => (partial.length >= 2 && id.startsWith(partial) ? [id.slice(0, 12)] : [])
    const tails = (name: string) => name.split('/').map((_, i, parts) => parts.slice(i).join('/'))
    const names = async (kind: NameKind, partial: string): Promise<string[]> => {
      if (kind === 'containers') return (await engine.listContainers({all: true})).flatMap((c) => [...c.summary.Names, ...ids(partial, c.summary.Id)])
      if (kind === 'images')
        return (await engine.listImages([])).flatMap((i) => [...(partial ? i.RepoTags.flatMap(tails) : i.RepoTags), ...ids(partial, i.Id)])
      if (kind === 'volumes') return (await engine.listVolumes([])).records.map((v) => v.Name)
      return []
    }
    try {
      process.stdout.write(renderCompletion(await complete(tree, this.argv, names), withDescriptions))
    } catch {
      process.stdout.write(`:${DIRECTIVE.error}\n`)
    }
  }

  /** The value of `--name VALUE` or `--name=VALUE` among the words being completed. */
  private wordValue(name: string): string | undefined {
    const words = this.argv.slice(0, -1)
    for (let i = 0; i < words.length; i++) {
      if (words[i] === `--${name}`) return words[i + 1]
      if (words[i].startsWith(`--${name}=`)) return words[i].slice(name.length + 3)
    }
    return undefined
  }
}
