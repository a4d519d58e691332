import {Config} from '@oclif/core'

import {GlobalFlags, TspodCommand} from '../cli/base-command'
import {DIRECTIVE, NameKind, RootfsSource, complete, directiveNames, renderCompletion} from '../cli/completion/candidates'
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
    const inStates = (states: string[] | undefined, state: string) => states === undefined || states.includes(state.toLowerCase())
    const names = async (kind: NameKind, partial: string, states?: string[]): Promise<string[]> => {
      if (kind === 'containers')
        return (await engine.listContainers({all: true}))
          .filter((c) => inStates(states, c.summary.State))
          .flatMap((c) => [...ids(partial, c.summary.Id), c.summary.Names[0]])
      if (kind === 'pods')
        return (await engine.pods())
          .list()
          .filter((p) => inStates(states, p.Status))
          .flatMap((p) => [...ids(partial, p.Id), p.Name])
      if (kind === 'images')
        return (await engine.listImages([])).flatMap((i) => [...ids(partial, i.Id), ...(partial ? i.RepoTags.flatMap(tails) : i.RepoTags)])
      if (kind === 'volumes') return (await engine.listVolumes([])).records.map((v) => v.Name)
      if (kind === 'networks') return (await (await engine.networks()).list([])).flatMap((n) => [...ids(partial, n.id), n.name])
      if (kind === 'secrets') return (await engine.secrets()).list([]).flatMap((s) => [...ids(partial, s.ID), s.Spec.Name])
      if (kind === 'descriptors') return engine.topDescriptors()
      return engine.registries.unqualifiedSearchRegistries
    }
    const rootfs: RootfsSource = (target) => (dir) =>
      'image' in target ? engine.listImageDir(target.image, dir) : engine.listContainerDir(target.container, dir)
    let directive: number = DIRECTIVE.error
    try {
      const completion = await complete(tree, this.argv, names, rootfs)
      directive = completion.directive
      process.stdout.write(renderCompletion(completion, withDescriptions))
    } catch (err) {
      process.stderr.write(`[Debug] [Error] ${(err as Error).message}\n`)
      process.stdout.write(`:${DIRECTIVE.error}\n`)
    }
    // what cobra tells a person debugging the scripts; the scripts read only stdout
    process.stderr.write(`Completion ended with directive: ${directiveNames(directive)}\n`)
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
