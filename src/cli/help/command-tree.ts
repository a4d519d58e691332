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
  /** not in its group's list: a hidden command, or another name of a command listed under its longest name there (`container ls` beside `container list`) */
  unlisted?: boolean
}

/** What the root says of tspod, and what `help` says of itself. */
export const ROOT_SUMMARY = 'Manage containers, images and volumes'
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
 * A group lists each command once, as cobra lists a command by its name and not its aliases:
 * by its longest name there, the spelled-out one (`list` over `ls`, `remove` over `rm`).
 */
function markAliases(node: Node): void {
  const byCommand = new Map<Command.Loadable, Node[]>()
  for (const c of node.children.values()) {
    markAliases(c)
    if (c.command && !c.command.hidden) byCommand.set(c.command, [...(byCommand.get(c.command) ?? []), c])
  }
  for (const names of byCommand.values()) {
    const word = (n: Node) => n.path[n.path.length - 1]
    const listed = names.reduce((a, b) => (word(b).length > word(a).length ? b : a))
    for (const n of names) n.unlisted = n !== listed
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
