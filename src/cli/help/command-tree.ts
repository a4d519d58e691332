// tspod's commands as Podman shows them: a tree of words. `image` is a group (cobra's parent
// command); `image ls` and its top-level alias `images` are commands. Built from oclif's config,
// so every registered command and alias has its place without a list to keep up.
import type {Command, Config} from '@oclif/core'

export interface Node {
  /** the words that name it after `tspod` (none for the root) */
  path: string[]
  summary: string
  description?: string
  /** the command run at this node; a group has none */
  command?: Command.Loadable
  children: Map<string, Node>
  /** not in its group's list: a hidden command, or another name of a command listed under its Podman name there (`volume list` beside `volume ls`) */
  unlisted?: boolean
}

/** What the root says of tspod, and what `help` says of itself. */
export const ROOT_SUMMARY = 'Manage pods, containers and images'
export const HELP_SUMMARY = 'Help about any command'

function summaryOf(command: Command.Loadable): string {
  return command.summary ?? command.description?.split('\n')[0] ?? ''
}

function child(parent: Node, word: string, summary: string): Node {
  let node = parent.children.get(word)
  if (!node) {
    node = {path: [...parent.path, word], summary, children: new Map()}
    parent.children.set(word, node)
  }
  return node
}

/** Each visible command under its id's words, each alias under its own words. */
export function commandTree(config: Config): Node {
  const root: Node = {path: [], summary: ROOT_SUMMARY, children: new Map()}
  const topics = new Map(config.topics.map((t) => [t.name, t.description ?? '']))
  for (const command of config.commands) {
    // oclif lists each alias as a command of its own too; the command itself carries them all
    if (command.aliases.includes(command.id)) continue
    for (const id of [command.id, ...command.aliases]) {
      const words = id.split(':')
      let node = root
      for (let i = 0; i < words.length - 1; i++) {
        const topic = words.slice(0, i + 1).join(':')
        node = child(node, words[i], topics.get(topic) ?? '')
      }
      const leaf = child(node, words[words.length - 1], summaryOf(command))
      leaf.command = command
      leaf.description = command.description
      if (command.hidden) leaf.unlisted = true
    }
  }
  markAliases(root)
  child(root, 'help', HELP_SUMMARY).description = 'Help provides help for any command in the application.\nSimply type the program name, then help, then the path to the command for full details.'
  return root
}

/**
 * A group lists a command by its name and not its aliases, as cobra lists it by its Use: the
 * last word of its id (`volume ls`, not `volume list`), or the names it declares Podman lists
 * it by (`image list`); a command alone in a group under another name (`images`) by that name.
 */
function markAliases(node: Node): void {
  const byCommand = new Map<Command.Loadable, Node[]>()
  for (const c of node.children.values()) {
    markAliases(c)
    if (c.command && !c.command.hidden) byCommand.set(c.command, [...(byCommand.get(c.command) ?? []), c])
  }
  for (const [command, names] of byCommand) {
    if (names.length === 1) continue
    const word = (n: Node) => n.path[n.path.length - 1]
    const listedAs = (command as {listedAs?: unknown}).listedAs
    const primary = Array.isArray(listedAs) ? (listedAs as string[]) : [command.id.split(':').pop()!]
    const listed = names.filter((n) => primary.includes(word(n)))
    if (listed.length === 0) listed.push(names.reduce((a, b) => (word(b).length > word(a).length ? b : a)))
    for (const n of names) n.unlisted = !listed.includes(n)
  }
}

/** The deepest node named by the leading words of argv, and how many words named it. */
export function findNode(root: Node, words: string[]): {node: Node; used: number} {
  let node = root
  let used = 0
  for (const word of words) {
    const next = node.children.get(word)
    if (!next) break
    node = next
    used++
  }
  return {node, used}
}
