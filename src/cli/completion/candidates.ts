// What `tspod __complete WORDS... PARTIAL` answers, as cobra's hidden completion command does for
// the shell scripts of `tspod completion`: the candidates for the last word, then `:<directive>`.
import type {Command} from '@oclif/core'

import {globalFlags} from '../global-flags'
import type {Node} from '../help/command-tree'
import {ownFlags} from '../help/usage'
import {CONTAINER_STATES, POD_STATES, argumentCompletion} from './argument-rules'
import {DIRECTIVE} from './directive'
import {completeFormat} from './format-fields'
import {FORMAT_TYPES} from './format-types'
import {DirLister, completePath} from './path-candidates'

export {DIRECTIVE, directiveNames} from './directive'

export interface Candidate {
  name: string
  description?: string
}

export interface Completion {
  candidates: Candidate[]
  directive: number
}

/** The names in the store a positional argument can be. */
/** `descriptors`: the ps(1) descriptors `top` takes, not names in the store. */
export type NameKind = 'containers' | 'images' | 'volumes' | 'networks' | 'pods' | 'secrets' | 'registries' | 'descriptors'
/** The names of a kind that may complete `partial` (the caller filters them by it), of containers or pods only those in `states` when given. */
export type NameSource = (kind: NameKind, partial: string, states?: string[]) => Promise<string[]>
/** Lists a dir inside an image's or a container's rootfs, for completing paths in them. */
export type RootfsSource = (target: {image: string} | {container: string}) => DirLister

type FlagLike = Pick<Command.Flag.Cached, 'name' | 'char' | 'type' | 'summary' | 'description'> & {options?: readonly string[]}

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
export async function complete(root: Node, words: string[], names: NameSource, rootfs?: RootfsSource): Promise<Completion> {
  const partial = words.length > 0 ? words[words.length - 1] : ''
  let node = root
  const positionals: string[] = []
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
    else positionals.push(word)
  }
  // `--flag=VALUE` (or `-f=VALUE`) being typed: VALUE completes as the flag's value, as cobra does
  const inline = !flagsEnded && !pendingFlag && /^-[^=]+=/.exec(partial)
  if (inline) {
    const flag = findFlag(allFlags(node.command), partial)
    if (flag?.type === 'option') return completeValue(node, flag, partial.slice(inline[0].length))
  }
  if (pendingFlag) return completeValue(node, pendingFlag, partial)
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
  const id = node.command.id
  if (rootfs && (id === 'container:create' || id === 'container:run') && positionals.length >= 1)
    return completePath(rootfs({image: positionals[0]}), partial).catch(() => ({candidates: [], directive: DIRECTIVE.default}))
  if (id === 'container:cp') return completeCopyArgument(positionals.length, partial, names, rootfs)
  const args = Object.keys(node.command.args ?? {})
  const argName = positionals.length < args.length ? args[positionals.length] : node.command.strict === false ? args[args.length - 1] : undefined
  if (argName === undefined) return {candidates: [], directive: DIRECTIVE.noFileComp}
  const how = argumentCompletion(id, argName)
  if (how === 'host-paths') return {candidates: [], directive: DIRECTIVE.default}
  if (how === 'nothing') return {candidates: [], directive: DIRECTIVE.noFileComp}
  if ('values' in how) return {candidates: matching(how.values.map((name) => ({name})), partial), directive: DIRECTIVE.noFileComp}
  const found: string[] = []
  for (const kind of how.kinds) found.push(...(await names(kind, partial, kind === 'containers' ? CONTAINER_STATES[id] : kind === 'pods' ? POD_STATES[id] : undefined)))
  return {candidates: matching([...new Set(found)].map((name) => ({name})), partial), directive: DIRECTIVE.noFileComp}
}

/** A flag's value: one of its options, a --format template, or the shell's file completion. */
function completeValue(node: Node, flag: FlagLike, partial: string): Completion {
  const values = (flag.options ?? []).map((name) => ({name}))
  // a Go template: `json`, or the fields of the command's output type, as Podman's AutocompleteFormat
  if (flag.name === 'format' && values.length === 0) return completeFormat(node.command ? FORMAT_TYPES[node.command.id] : undefined, partial)
  return values.length > 0 ? {candidates: matching(values, partial), directive: DIRECTIVE.noFileComp} : {candidates: [], directive: DIRECTIVE.default}
}

/**
 * `cp`'s two arguments: `CONTAINER:` then paths inside that container, or the host's paths
 * (left to the shell) when no container name starts the word.
 */
async function completeCopyArgument(position: number, partial: string, names: NameSource, rootfs?: RootfsSource): Promise<Completion> {
  if (position >= 2) return {candidates: [], directive: DIRECTIVE.noFileComp}
  const colon = partial.indexOf(':')
  if (colon >= 0) {
    if (!rootfs) return {candidates: [], directive: DIRECTIVE.default}
    const container = partial.slice(0, colon)
    const inside = await completePath(rootfs({container}), partial.slice(colon + 1)).catch(() => ({candidates: [], directive: DIRECTIVE.default}))
    return {candidates: inside.candidates.map((c) => ({name: `${container}:${c.name}`})), directive: inside.directive}
  }
  const containers = matching([...new Set(await names('containers', partial))].map((name) => ({name: `${name}:`})), partial)
  return containers.length > 0 ? {candidates: containers, directive: DIRECTIVE.noSpace} : {candidates: [], directive: DIRECTIVE.default}
}

/** The answer as cobra writes it: one candidate a line (`name<TAB>description`), then `:directive`. */
export function renderCompletion(completion: Completion, withDescriptions: boolean): string {
  const lines = completion.candidates.map((c) => (withDescriptions && c.description ? `${c.name}\t${c.description}` : c.name))
  return [...lines, `:${completion.directive}`].join('\n') + '\n'
}
