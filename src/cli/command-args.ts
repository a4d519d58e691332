// A command's arguments as oclif's parser takes them, rewritten from Podman's (cobra/pflag) forms:
// values that look like flags, `--flag=false` for booleans, flags ending at a command's first
// argument, repeated flags.
import {markFlagLikeValues} from './flag-values'
import {keepLastFlagValues} from './repeated-flags'

/** What the rewriting needs of a flag. */
export interface FlagShape {
  type: 'boolean' | 'option'
  char?: string
  aliases?: string[]
  allowNo?: boolean
  multiple?: boolean
}

/** What the rewriting needs of a command: its id and its flags (own and global), as oclif's config or its class has them. */
export interface CommandFlags {
  id: string
  flags: Record<string, FlagShape>
}

/**
 * Podman (cobra) accepts `--flag=VALUE` for boolean flags, VALUE as Go's strconv.ParseBool reads
 * it (1, t, T, true, TRUE, True and the same forms of false); oclif does not. Rewrite them to
 * `--flag` / `--no-flag` (or drop `=false` of a flag without a negation, false being its default);
 * the short form `-a=false` too.
 */
function normalizeBooleans(command: CommandFlags, argv: string[]): string[] {
  const out: string[] = []
  for (const arg of argv) {
    if (arg === '--') return [...out, ...argv.slice(out.length)]
    const short = /^-([a-zA-Z])=(1|t|T|true|TRUE|True|0|f|F|false|FALSE|False)$/.exec(arg)
    const byChar = short ? Object.entries(command.flags).find(([, f]) => f.char === short[1]) : undefined
    const m = byChar ? ([arg, byChar[0], short![2]] as const) : /^--([^=]+)=(1|t|T|true|TRUE|True|0|f|F|false|FALSE|False)$/.exec(arg)
    const flag = m ? command.flags[m[1]] : undefined
    if (!m || !flag || flag.type !== 'boolean') {
      out.push(arg)
      continue
    }
    if (/^(1|t|true)$/i.test(m[2])) out.push(`--${m[1]}`)
    else if (flag.allowNo) out.push(`--no-${m[1]}`)
  }
  return out
}

/** Commands whose flags end at the first argument (cobra's SetInterspersed(false)): `run IMAGE CMD -x`. */
const FLAGS_END_AT_FIRST_ARG = new Set(['run', 'create', 'exec', 'container:run', 'container:create', 'container:exec', 'unshare'])

/** Commands whose words are data, never their flags: the completion request's command line. */
export const WORDS_NOT_PARSED = new Set(['__complete'])

export function flagsEndAtFirstArg(command: {id: string}): boolean {
  return FLAGS_END_AT_FIRST_ARG.has(command.id)
}

/** Insert `--` after the first argument, so that what follows is the container's command. */
function endFlagsAtFirstArg(command: CommandFlags, argv: string[]): string[] {
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    if (arg === '--') return argv
    if (!arg.startsWith('-') || arg === '-') return [...argv.slice(0, i + 1), '--', ...argv.slice(i + 1)]
    const long = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined
    const flag =
      long !== undefined
        ? (command.flags[long] ?? Object.values(command.flags).find((f) => f.aliases?.includes(long)))
        : Object.values(command.flags).find((f) => f.char === arg[1])
    // "--flag value" and "-f value" consume the next word; "--flag=value" and "-fvalue" do not.
    const inlineValue = arg.includes('=') || (long === undefined && arg.length > 2)
    i += flag?.type === 'option' && !inlineValue ? 2 : 1
  }
  return argv
}

/** What runs: the command's arguments made oclif's (global flags moved behind the command). */
export function prepareArgs(command: CommandFlags, globals: string[], rest: string[]): string[] {
  if (WORDS_NOT_PARSED.has(command.id)) return [...globals, ...rest]
  const endAtFirstArg = flagsEndAtFirstArg(command)
  let args = normalizeBooleans(command, markFlagLikeValues(command.flags, rest, endAtFirstArg))
  if (endAtFirstArg) args = endFlagsAtFirstArg(command, args)
  return keepLastFlagValues(command.flags, [...markFlagLikeValues(command.flags, globals, false), ...args])
}
