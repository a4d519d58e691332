// What `tspod __complete WORDS... PARTIAL` answers, as cobra's hidden completion command does for
// the shell scripts of `tspod completion`: the candidates for the last word, then `:<directive>`.
import type {Command} from '@oclif/core'

import {globalFlags} from '../global-flags'
import type {Node} from '../help/command-tree'
import {ownFlags} from '../help/usage'

/** cobra's ShellCompDirective bits, which the scripts read. */
export const DIRECTIVE = {default: 0, error: 1, noSpace: 2, noFileComp: 4} as const

export interface Candidate {
  name: string
  description?: string
}

export interface Completion {
  candidates: Candidate[]
  directive: number
}

/** The names in the store a positional argument can be. */
export type NameKind = 'containers' | 'images' | 'volumes' | 'networks'
/** The names of a kind that may complete `partial` (the caller filters them by it). */
export type NameSource = (kind: NameKind, partial: string) => Promise<string[]>

type FlagLike = Pick<Command.Flag.Cached, 'name' | 'char' | 'type' | 'summary' | 'description'> & {options?: readonly string[]}

/** Which names an argument takes, from its name: `containers`, `image`, `volume`... */
export function nameKindOf(argName: string): NameKind | undefined {
  for (const kind of ['container', 'image', 'volume', 'network'] as const) if (argName.toLowerCase().startsWith(kind)) return `${kind}s`
  return undefined
}

function allFlags(command: Command.Loadable | undefined): FlagLike[] {
  const globals = Object.entries(globalFlags).filter(([, f]) => !f.hidden).map(([name, f]) => ({...(f as unknown as FlagLike), name}))
  return [...(command ? (ownFlags(command) as FlagLike[]) : []), ...globals]
}

function findFlag(flags: FlagLike[], arg: string): FlagLike | undefined {
  if (arg.startsWith('--')) return flags.find((f) => f.name === arg.slice(2).split('=')[0])
  return flags.find((f) => f.char === arg[1])
}

/** Whether a flag word takes the next word as its value (`--name x`, `-n x`, not `--name=x`). */
function takesNextWord(flag: FlagLike | undefined, arg: string): boolean {
  return flag?.type === 'option' && (arg.startsWith('--') ? !arg.includes('=') : arg.length === 2)
}

function matching(candidates: Candidate[], partial: string): Candidate[] {
  return candidates.filter((c) => c.name.startsWith(partial))
}

/** The completion of `words`' last word (the partial one, maybe empty), over the command tree. */
export async function complete(root: Node, words: string[], names: NameSource): Promise<Completion> {
  const partial = words.length > 0 ? words[words.length - 1] : ''
  let node = root
  let positionals = 0
  let flagsEnded = false
  let pendingFlag: FlagLike | undefined
  for (const word of words.slice(0, -1)) {
    if (pendingFlag) {
      pendingFlag = undefined
      continue
    }
    if (!flagsEnded && word === '--') {
      flagsEnded = true
      continue
    }
    if (!flagsEnded && word.startsWith('-') && word !== '-') {
      const flag = findFlag(allFlags(node.command), word)
      if (takesNextWord(flag, word)) pendingFlag = flag
      continue
    }
    const next = node.command ? undefined : node.children.get(word)
    if (next) node = next
    else positionals++
  }
  if (pendingFlag) {
    const values = (pendingFlag.options ?? []).map((name) => ({name}))
    return values.length > 0 ? {candidates: matching(values, partial), directive: DIRECTIVE.noFileComp} : {candidates: [], directive: DIRECTIVE.default}
  }
  if (!flagsEnded && partial.startsWith('-')) {
    const flags = allFlags(node.command).flatMap((f) => {
      const description = (f.summary ?? f.description ?? '').split('\n')[0]
      return [{name: `--${f.name}`, description}, ...(f.char ? [{name: `-${f.char}`, description}] : [])]
    })
    return {candidates: matching(flags, partial), directive: DIRECTIVE.noFileComp}
  }
  if (!node.command) {
    const children = [...node.children.values()].filter((c) => !c.unlisted).map((c) => ({name: c.path[c.path.length - 1], description: c.summary}))
    return {candidates: matching(children, partial), directive: DIRECTIVE.noFileComp}
  }
  const args = Object.keys(node.command.args ?? {})
  const argName = positionals < args.length ? args[positionals] : node.command.strict === false ? args[args.length - 1] : undefined
  const kind = argName === undefined ? undefined : nameKindOf(argName)
  if (!kind) return {candidates: [], directive: argName === undefined ? DIRECTIVE.noFileComp : DIRECTIVE.default}
  const found = [...new Set(await names(kind, partial))].map((name) => ({name}))
  return {candidates: matching(found, partial), directive: DIRECTIVE.noFileComp}
}

/** The answer as cobra writes it: one candidate a line (`name<TAB>description`), then `:directive`. */
export function renderCompletion(completion: Completion, withDescriptions: boolean): string {
  const lines = completion.candidates.map((c) => (withDescriptions && c.description ? `${c.name}\t${c.description}` : c.name))
  return [...lines, `:${completion.directive}`].join('\n') + '\n'
}
