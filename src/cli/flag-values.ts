// Podman's flags (pflag) give a flag that takes a value the next word, or what follows `--flag=` or
// `-f`, whatever it looks like: `--name -q`, `--hostname=-q`, `-e -x`. oclif refuses a value that
// names one of the command's flags ("expects a value"). So a value that starts with '-' reaches
// oclif marked (it no longer looks like a flag), and each flag's parse takes the mark off again.
import type {FlagShape} from './command-args'

/** Never part of a real argument: the kernel passes arguments as C strings. */
const MARK = '\u0000'

type Flags = Record<string, FlagShape>

function longFlag(flags: Flags, name: string): FlagShape | undefined {
  return flags[name] ?? Object.values(flags).find((f) => f.aliases?.includes(name))
}

function shortFlag(flags: Flags, char: string): FlagShape | undefined {
  return Object.values(flags).find((f) => f.char === char)
}

function marked(value: string): string {
  return value.startsWith('-') ? MARK + value : value
}

/**
 * argv with the values of the flags that take one marked where they start with '-'. The flags end
 * at `--`, and at the first argument where `endAtFirstArg` (`run IMAGE CMD...`: the container's).
 */
export function markFlagLikeValues(flags: Flags, argv: string[], endAtFirstArg: boolean): string[] {
  const out = [...argv]
  for (let i = 0; i < out.length; i++) {
    const arg = out[i]
    if (arg === '--') break
    if (!arg.startsWith('-') || arg === '-') {
      if (endAtFirstArg) break
      continue
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const flag = longFlag(flags, arg.slice(2, eq === -1 ? undefined : eq))
      if (flag?.type !== 'option') continue
      if (eq !== -1) out[i] = arg.slice(0, eq + 1) + marked(arg.slice(eq + 1))
      else if (i + 1 < out.length) out[i + 1] = marked(out[++i])
      continue
    }
    // a group of short flags (-it, -itn NAME, -nNAME, -n=NAME): the first that takes a value takes the rest
    for (let c = 1; c < arg.length; c++) {
      const flag = shortFlag(flags, arg[c])
      if (flag?.type !== 'option') {
        if (flag) continue
        break
      }
      const rest = arg.slice(c + 1)
      if (rest.startsWith('=')) out[i] = arg.slice(0, c + 2) + marked(rest.slice(1))
      else if (rest) out[i] = arg.slice(0, c + 1) + marked(rest)
      else if (i + 1 < out.length) out[i + 1] = marked(out[++i])
      break
    }
  }
  return out
}

/** A value as typed: without the mark markFlagLikeValues put on it. */
export function unmarkValue(value: string): string {
  return value.startsWith(MARK) ? value.slice(MARK.length) : value
}

/** A text (an error's message) with every marked value as typed. */
export function unmarkText(text: string): string {
  return text.replaceAll(MARK, '')
}

interface OclifFlag {
  type: string
  parse?: (input: string, context: unknown, flag: unknown) => Promise<unknown>
}

const unmarking = new WeakMap<object, Record<string, unknown>>()

/** The flags, each that takes a value parsing it unmarked (the same object for the same flags). */
export function unmarkingFlags<T extends Record<string, unknown> | undefined>(flags: T): T {
  if (!flags) return flags
  const known = unmarking.get(flags)
  if (known) return known as T
  const wrapped = Object.fromEntries(
    Object.entries(flags).map(([name, value]) => {
      const flag = value as OclifFlag
      if (flag.type !== 'option') return [name, flag]
      const parse = flag.parse
      return [name, {...flag, parse: async (input: string, context: unknown, self: unknown) => (parse ? parse.call(flag, unmarkValue(input), context, self) : unmarkValue(input))}]
    }),
  )
  unmarking.set(flags, wrapped)
  return wrapped as T
}
