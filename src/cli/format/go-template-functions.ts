// Values and functions of Go templates as Podman users see them: fmt's %v printing, Go's
// truthiness, the builtins (and, or, not, eq, len, index, print, printf, …) and the functions
// containers/common's report package adds (json, lower, upper, title, truncate, pad, join, split).

/** fmt's %v: strings raw, nil "<no value>", slices "[a b]", maps "map[k:v]" in key order. */
export function formatValue(value: unknown, top = true): string {
  if (value === undefined || value === null) return top ? '<no value>' : '<nil>'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, false)).join(' ')}]`
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>
    return `map[${Object.keys(record).sort().map((k) => `${k}:${formatValue(record[k], false)}`).join(' ')}]`
  }
  return String(value)
}

/** Go's truth: false, 0, nil and empty strings, slices and maps are false. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object') return Object.keys(value as object).length > 0
  return true
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value)
  if (Array.isArray(value)) return value.length
  if (value !== null && typeof value === 'object') return Object.keys(value).length
  throw new Error(`len of type ${typeof value}`)
}

function compare(a: unknown, b: unknown): number {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new Error('incompatible types for comparison')
  return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0
}

/** Go's fmt.Sprintf for the verbs people use: %s %v %d %q %t %x %X %f %e %g %%, with flags and widths. */
export function sprintf(format: string, ...args: unknown[]): string {
  let next = 0
  return format.replace(/%([-+ #0]*)(\d+)?(?:\.(\d+))?([svdqtxXfegc%])/g, (whole, flags: string, width?: string, precision?: string, verb?: string) => {
    if (verb === '%') return '%'
    if (next >= args.length) return `%!${verb}(MISSING)`
    const arg = args[next++]
    let text: string
    switch (verb) {
      case 's':
      case 'v':
        text = formatValue(arg)
        if (precision !== undefined && verb === 's') text = text.slice(0, Number(precision))
        break
      case 'q':
        text = JSON.stringify(typeof arg === 'string' ? arg : formatValue(arg))
        break
      case 'd':
        text = typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${typeof arg}=${formatValue(arg)})`
        break
      case 't':
        text = typeof arg === 'boolean' ? String(arg) : `%!t(${typeof arg}=${formatValue(arg)})`
        break
      case 'x':
      case 'X': {
        const hex = typeof arg === 'number' ? Math.trunc(arg).toString(16) : Buffer.from(formatValue(arg)).toString('hex')
        text = verb === 'X' ? hex.toUpperCase() : hex
        break
      }
      case 'c':
        text = String.fromCodePoint(Number(arg))
        break
      default: {
        const n = Number(arg)
        const p = precision === undefined ? 6 : Number(precision)
        text = verb === 'f' ? n.toFixed(p) : verb === 'e' ? n.toExponential(p) : String(n)
      }
    }
    if (flags.includes('+') && typeof arg === 'number' && arg >= 0 && 'dfeg'.includes(verb!)) text = `+${text}`
    const w = width === undefined ? 0 : Number(width)
    if (text.length >= w) return text
    if (flags.includes('-')) return text.padEnd(w)
    if (flags.includes('0') && 'dfxXeg'.includes(verb!)) return text.startsWith('-') ? `-${text.slice(1).padStart(w - 1, '0')}` : text.padStart(w, '0')
    void whole
    return text.padStart(w)
  })
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
function sprint(...args: unknown[]): string {
  let out = ''
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' '
    out += formatValue(a)
  })
  return out
}

function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value)
}

export const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  and: (...args) => args.find((a) => !isTrue(a)) ?? args.at(-1),
  or: (...args) => args.find((a) => isTrue(a)) ?? args.at(-1),
  not: (a) => !isTrue(a),
  eq: (a, ...rest) => {
    if (rest.length === 0) throw new Error('missing argument for comparison')
    return rest.some((b) => a === b)
  },
  ne: (a, b) => a !== b,
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  len: (a) => lengthOf(a),
  index: (collection, ...keys) =>
    keys.reduce((c, k) => {
      if (Array.isArray(c)) {
        if (typeof k !== 'number' || k < 0 || k >= c.length) throw new Error(`index out of range: ${formatValue(k)}`)
        return c[k]
      }
      if (c !== null && typeof c === 'object') return (c as Record<string, unknown>)[String(k)]
      throw new Error(`can't index item of type ${typeof c}`)
    }, collection),
  print: (...args) => sprint(...args),
  printf: (format, ...args) => sprintf(String(format), ...args),
  println: (...args) => args.map((a) => formatValue(a)).join(' ') + '\n',
  json,
  lower: (s) => formatValue(s).toLowerCase(),
  upper: (s) => formatValue(s).toUpperCase(),
  title: (s) => formatValue(s).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_, pre: string, c: string) => pre + c.toUpperCase()),
  truncate: (s, n) => [...formatValue(s)].slice(0, Number(n)).join(''),
  pad: (s, left, right) => ' '.repeat(Number(left)) + formatValue(s) + ' '.repeat(Number(right)),
  join: (list, sep) => {
    if (!Array.isArray(list)) throw new Error('join expects a list')
    return list.map((v) => formatValue(v)).join(String(sep))
  },
  split: (s, sep) => formatValue(s).split(String(sep)),
}
