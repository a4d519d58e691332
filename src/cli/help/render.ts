// Help text in Podman's layout (its cobra help and usage templates): summary, Description,
// Usage, Examples, Available Commands, Options, with flags listed as pflag lists them.
import type {Command} from '@oclif/core'

import {globalFlags} from '../global-flags'
import {invocation} from '../invocation'
import {programName} from '../program-name'
import {REMOTE_FLAG_HELP} from '../remote'
import type {Node} from './command-tree'
import {ownFlags, synopsisTail} from './usage'

/** cobra pads command names to at least this width. */
const MIN_NAME_PADDING = 11

type FlagLike = Pick<Command.Flag.Cached, 'name' | 'char' | 'summary' | 'description' | 'type' | 'default'> & {
  multiple?: boolean
  helpValue?: string | string[]
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : ''))
    .join('\n')
}

function valueName(flag: FlagLike): string {
  if (flag.type === 'boolean') return ''
  if (flag.helpValue) return ` ${Array.isArray(flag.helpValue) ? flag.helpValue.join('|') : flag.helpValue}`
  return flag.multiple ? ' strings' : ' string'
}

function defaultNote(flag: FlagLike): string {
  const value = flag.default
  if (value === undefined || value === false || value === '' || typeof value === 'function') return ''
  if (Array.isArray(value)) return value.length > 0 ? ` (default [${value.join(',')}])` : ''
  return typeof value === 'string' ? ` (default "${value}")` : ` (default ${String(value)})`
}

/** pflag's FlagUsages: `  -f, --format string   Change the output format`, descriptions in one column. */
export function flagUsages(flags: FlagLike[]): string {
  const rows = flags.map((flag) => {
    const names = flag.char ? `  -${flag.char}, --${flag.name}` : `      --${flag.name}`
    const text = (flag.summary ?? flag.description ?? '').split('\n')[0]
    return {left: names + valueName(flag), right: text + defaultNote(flag)}
  })
  const width = Math.max(0, ...rows.map((r) => r.left.length))
  return rows.map((r) => `${r.left.padEnd(width)}   ${r.right}`.trimEnd()).join('\n')
}

function commandList(node: Node): string {
  const children = [...node.children.values()].filter((c) => !c.unlisted).sort((a, b) => a.path[a.path.length - 1].localeCompare(b.path[b.path.length - 1]))
  const width = Math.max(MIN_NAME_PADDING, ...children.map((c) => c.path[c.path.length - 1].length))
  return children.map((c) => `  ${c.path[c.path.length - 1].padEnd(width)} ${c.summary}`.trimEnd()).join('\n')
}

function example(text: string): string {
  return text.replace(/<%= config\.bin %>/g, programName())
}

function examplesOf(command: Command.Loadable): string[] {
  return (command.examples ?? []).map((e) => example(typeof e === 'string' ? e : e.command))
}

/** The Usage line of a node: `tspod image [command]`, `tspod ps [options]`. */
export function usageLine(node: Node): string {
  const words = [programName(), ...node.path]
  if (node.path.length === 0) return `${programName()} [options] [command]`
  if (!node.command) return `${words.join(' ')} [command]`
  const tail = synopsisTail(node.command)
  return tail ? `${words.join(' ')} ${tail}` : words.join(' ')
}

/** The root's options: the global flags, and the two cobra adds. */
function rootOptions(): string {
  const flags: FlagLike[] = Object.entries(globalFlags)
    .filter(([, flag]) => !flag.hidden)
    .map(([name, flag]) => ({...(flag as unknown as FlagLike), name}))
  flags.push({name: 'help', type: 'boolean', description: `Help for ${programName()}`}, {name: 'version', char: 'v', type: 'boolean', description: `version for ${programName()}`})
  // as Podman: --remote is not offered when a remote service is already asked for
  flags.push(...REMOTE_FLAG_HELP.filter((f) => !(invocation.remote && f.name === 'remote')).map((f) => ({...f}) as FlagLike))
  return flagUsages(flags.sort((a, b) => a.name.localeCompare(b.name)))
}

/** The usage part (what cobra prints under an error about a missing command, too). */
export function renderUsage(node: Node): string {
  const sections = [`Usage:\n  ${usageLine(node)}`]
  const examples = node.command ? examplesOf(node.command) : []
  if (examples.length > 0) sections.push(`Examples:\n${indent(examples.join('\n'))}`)
  if (node.children.size > 0) sections.push(`Available Commands:\n${commandList(node)}`)
  if (node.path.length === 0) sections.push(`Options:\n${rootOptions()}`)
  else if (node.command && ownFlags(node.command).length > 0) sections.push(`Options:\n${flagUsages(ownFlags(node.command) as FlagLike[])}`)
  return sections.join('\n\n') + '\n'
}

/** The whole help of a node, as `tspod ... --help` prints it. */
export function renderHelp(node: Node): string {
  const head = [node.summary]
  if (node.path.length > 0) head.push(`Description:\n${indent(node.description ?? node.summary)}`)
  return `${head.join('\n\n')}\n\n${renderUsage(node)}\n`
}
