// Podman's flags (pflag) take the last value given when a flag that takes one value is repeated:
// `run --name a --name b` names the container b. oclif refuses a repeat, so the earlier
// occurrences are dropped from argv before oclif parses it.

interface Occurrence {
  flag: string
  /** where it starts in argv, and how many words it takes (2: `--name a`, 1: `--name=a`) */
  at: number
  words: number
}

type FlagMap = Record<string, {type: string; char?: string; multiple?: boolean}>

function byChar(flags: FlagMap, char: string): string | undefined {
  return Object.entries(flags).find(([, f]) => f.char === char)?.[0]
}

/** Each single-value option flag occurrence in argv, up to `--`. */
function occurrences(flags: FlagMap, argv: string[]): Occurrence[] {
  const found: Occurrence[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') break
    if (!arg.startsWith('-') || arg === '-') continue
    const long = arg.startsWith('--')
    const name = long ? arg.slice(2).split('=')[0] : byChar(flags, arg[1])
    const flag = name === undefined ? undefined : flags[name]
    if (!flag || flag.type !== 'option') continue
    const inline = long ? arg.includes('=') : arg.length > 2
    if (!flag.multiple) found.push({flag: name!, at: i, words: inline ? 1 : 2})
    if (!inline) i++
  }
  return found
}

/**
 * argv with only the last occurrence of each single-value option flag (a `--` ends the flags:
 * main.ts puts one where a command's own flags end, `run IMAGE --name x` being the container's).
 */
export function keepLastFlagValues(flags: FlagMap, argv: string[]): string[] {
  const all = occurrences(flags, argv)
  const last = new Map(all.map((o) => [o.flag, o.at]))
  const drop = new Set<number>()
  for (const o of all) {
    if (last.get(o.flag) === o.at) continue
    for (let w = 0; w < o.words; w++) drop.add(o.at + w)
  }
  return argv.filter((_, i) => !drop.has(i))
}
