// The command a runlabel label describes, built as Podman builds it: the label's value with the
// user's arguments appended, split into words, the first word the engine itself when it names
// podman or docker, the words IMAGE, NAME (and $IMAGE, ${IMAGE}, …=IMAGE …) replaced, then
// $OPT1-3 and $PWD expanded and the whole split again (so quoting does not survive the second
// split, as in Podman). Every other variable expands to nothing: the label never sees the host's
// environment, and no shell interprets it.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {expandVariables} from './go-expand'
import {splitShellWords} from './shell-words'

/** The label's value, its name matched regardless of case as Podman does; undefined when absent or empty. */
export function labelValue(labels: Record<string, string> | null | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(labels ?? {})) if (key.toLowerCase() === name.toLowerCase() && value !== '') return value
  return undefined
}

/**
 * $NAME when --name is not given: the last path component of the image as the user named it
 * (or, when named by an ID prefix, of the image's newest name), without its tag.
 */
export function defaultContainerName(input: string, imageId: string, imageName: string): string {
  const source = imageId.startsWith(input) ? imageName : input
  return source.split('/').pop()!.split(':')[0]
}

export interface LabelCommandInput {
  label: string
  /** the user's arguments after the image */
  args: string[]
  /** the image's newest name, or its ID when it has none */
  imageName: string
  /** $NAME */
  name: string
  /** $OPT1, $OPT2, $OPT3: --opt1/--opt2/--opt3, else the environment's */
  options: {OPT1?: string; OPT2?: string; OPT3?: string}
  /** $PWD */
  cwd: string
}

/**
 * The first word that stands for the engine itself, as in Podman (which runs /proc/self/exe):
 * it survives the second split whole, and the caller runs its own executable for it.
 */
export const SELF = '/proc/self/exe'

/** The engine's names a label's first word may use for "the engine itself". */
const ENGINE_NAMES = new Set(['podman', 'docker'])

/**
 * The program to run: the engine itself (SELF) for `podman`, `docker` or a path to either; a
 * path that must exist (made absolute, in Podman's words when missing); any other word, looked
 * up in PATH when run.
 */
function program(word: string): string {
  if (ENGINE_NAMES.has(path.basename(word))) return SELF
  if (word.includes('/') || word.startsWith('.')) {
    const absolute = path.resolve(word)
    try {
      fs.statSync(absolute)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new TspodError(`stat ${absolute}: no such file or directory`, {code: 'ENOENT', path: absolute})
    }
    return absolute
  }
  return word
}

function replaceWord(word: string, variable: 'IMAGE' | 'NAME', value: string): string {
  if (word === variable) return value
  let out = word.split(`$${variable}`).join(value).split(`\${${variable}}`).join(value)
  if (out.endsWith(`=${variable}`)) out = out.split(`=${variable}`).join(`=${value}`)
  return out
}

/** The command as words: argv[0] the program, SELF for the engine itself. */
export function labelCommand(input: LabelCommandInput): string[] {
  const text = input.args.length > 0 ? `${input.label} ${input.args.join(' ')}` : input.label
  const words = splitShellWords(text)
  if (words.length === 0) throw new TspodError(`the label has no command to run: ${JSON.stringify(input.label)}`)
  const replaced = [
    program(words[0]),
    ...words.slice(1).map((w) => replaceWord(replaceWord(w, 'NAME', input.name), 'IMAGE', input.imageName)),
  ]
  const expanded = expandVariables(replaced.join(' '), (variable) => {
    if (variable === 'OPT1' || variable === 'OPT2' || variable === 'OPT3') return input.options[variable] ?? ''
    if (variable === 'PWD') return input.cwd
    return ''
  })
  const argv = splitShellWords(expanded)
  if (argv.length === 0) throw new TspodError(`the label has no command to run: ${JSON.stringify(input.label)}`)
  return argv
}

/** The container name a --replace removes first: the word after the command's first `--name` (or its `--name=` value). */
export function replacedName(argv: string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--name') return argv[i + 1]
    if (argv[i].startsWith('--name=')) return argv[i].slice('--name='.length)
  }
  return undefined
}
