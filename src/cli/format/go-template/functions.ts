// Values as Go's fmt prints them, Go's notion of truth, and the template functions: Go's
// builtins (text/template/funcs.go) and those containers/common's report package adds.
//
// JavaScript has one number type: an integral number is treated as a Go int, any other as a
// float64. null and undefined are Go's nil (undefined is also a missing field or map key).

import {isGoStruct} from '../../../go-struct'

// ---- fmt ----------------------------------------------------------------------------------

interface Spec {
  minus: boolean
  plus: boolean
  space: boolean
  zero: boolean
  sharp: boolean
  width?: number
  precision?: number
}

const PLAIN: Spec = {minus: false, plus: false, space: false, zero: false, sharp: false}

const isInt = (n: number): boolean => Number.isInteger(n) && Math.abs(n) < 1e21
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)

/** Go's name for a value's type, as fmt shows it in "%!d(string=x)". */
export function goType(v: unknown): string {
  if (v === undefined || v === null) return '<nil>'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return isInt(v) ? 'int' : 'float64'
  if (typeof v === 'bigint') return 'int64'
  if (Array.isArray(v)) return '[]interface {}'
  if (v instanceof Date) return 'time.Time'
  return 'map[string]interface {}'
}

/** A template action's output: fmt's %v, except that nil prints as "<no value>". */
export function formatValue(value: unknown): string {
  return value === undefined || value === null ? '<no value>' : printArg(value, 'v', PLAIN)
}

/** fmt.Sprint of one operand (%v; nil is "<nil>"). */
export const sprintValue = (value: unknown): string => printArg(value, 'v', PLAIN)

function pad(s: string, spec: Spec, zeroPrefix = ''): string {
  const length = [...s].length + zeroPrefix.length
  if (spec.width === undefined || length >= spec.width) return zeroPrefix + s
  const fill = spec.width - length
  if (spec.minus) return zeroPrefix + s + ' '.repeat(fill)
  return spec.zero ? zeroPrefix + '0'.repeat(fill) + s : ' '.repeat(fill) + zeroPrefix + s
}

function badVerb(verb: string, v: unknown): string {
  return v === undefined || v === null ? `%!${verb}(<nil>)` : `%!${verb}(${goType(v)}=${sprintValue(v)})`
}

function printArg(v: unknown, verb: string, spec: Spec): string {
  if (v === undefined || v === null) return verb === 'v' ? pad('<nil>', spec) : badVerb(verb, v)
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? pad(String(v), spec) : badVerb(verb, v)
  if (typeof v === 'number') return fmtNumber(v, verb, spec)
  if (typeof v === 'bigint') return verb === 'd' || verb === 'v' ? pad(v.toString(), spec) : badVerb(verb, v)
  if (typeof v === 'string') return fmtString(v, verb, spec)
  if (v instanceof Date) return verb === 'v' || verb === 's' ? pad(goTime(v), spec) : badVerb(verb, v)
  // Slices and maps apply the verb to each element, as fmt does.
  if (Array.isArray(v)) return `[${v.map((e) => printArg(e, verb, spec)).join(' ')}]`
  // A struct: its fields in order, named with %+v.
  if (isRecord(v) && isGoStruct(v)) return `{${Object.entries(v).map(([k, e]) => (spec.plus ? `${k}:` : '') + printArg(e, verb, spec)).join(' ')}}`
  if (isRecord(v)) {
    const keys = Object.keys(v).sort()
    return `map[${keys.map((k) => `${printArg(k, verb, spec)}:${printArg(v[k], verb, spec)}`).join(' ')}]`
  }
  return pad(String(v), spec)
}

/** time.Time's String(): 2006-01-02 15:04:05.999999999 +0000 UTC */
function goTime(d: Date): string {
  const iso = d.toISOString() // 2006-01-02T15:04:05.123Z
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, '')
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction} +0000 UTC`
}

function fmtString(s: string, verb: string, spec: Spec): string {
  const text = spec.precision === undefined ? s : [...s].slice(0, spec.precision).join('')
  switch (verb) {
    case 's':
    case 'v':
      return pad(text, spec)
    case 'q':
      return pad(spec.sharp && !/[`\p{Cc}]/u.test(text) ? `\`${text}\`` : goQuote(text, '"'), spec)
    case 'x':
    case 'X': {
      const hex = Buffer.from(text, 'utf8').toString('hex')
      return pad((spec.sharp ? '0x' : '') + (verb === 'X' ? hex.toUpperCase() : hex), spec)
    }
  }
  return badVerb(verb, s)
}

function fmtNumber(n: number, verb: string, spec: Spec): string {
  // A JSON-ish number has no int/float distinction; the float verbs accept integers too.
  if ('eEfFgG'.includes(verb) || (verb === 'v' && !isInt(n))) return fmtFloat(n, verb === 'v' ? 'g' : verb, spec)
  if (!isInt(n) || !'dboOxXcqUv'.includes(verb)) return badVerb(verb, n)
  switch (verb) {
    case 'c':
      return pad(runeString(n), spec)
    case 'q':
      return pad(goQuote(runeString(n), "'"), spec)
    case 'U':
      return pad(`U+${Math.abs(n).toString(16).toUpperCase().padStart(4, '0')}`, spec)
  }
  const base = verb === 'b' ? 2 : verb === 'o' || verb === 'O' ? 8 : verb === 'x' || verb === 'X' ? 16 : 10
  let digits = BigInt(Math.abs(n)).toString(base)
  if (verb === 'X') digits = digits.toUpperCase()
  if (spec.precision !== undefined) digits = spec.precision === 0 && n === 0 ? '' : digits.padStart(spec.precision, '0')
  let prefix = n < 0 ? '-' : spec.plus ? '+' : spec.space ? ' ' : ''
  if (verb === 'O' || (spec.sharp && verb === 'o')) prefix += '0o'.slice(0, verb === 'O' ? 2 : 1)
  if (spec.sharp && verb === 'b') prefix += '0b'
  if (spec.sharp && (verb === 'x' || verb === 'X')) prefix += verb === 'x' ? '0x' : '0X'
  // zero padding goes between the sign and the digits; an explicit precision disables it
  return pad(digits, {...spec, zero: spec.zero && spec.precision === undefined}, prefix)
}

function runeString(n: number): string {
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n < 0xe000) ? String.fromCodePoint(n) : '\ufffd'
}

function fmtFloat(n: number, verb: string, spec: Spec): string {
  const sign = n < 0 ? '-' : spec.plus ? '+' : spec.space ? ' ' : ''
  if (!Number.isFinite(n)) {
    const text = Number.isNaN(n) ? (spec.plus ? '+NaN' : 'NaN') : `${n < 0 ? '-' : '+'}Inf`
    return pad(text, {...spec, zero: false})
  }
  const x = Math.abs(n)
  const p = spec.precision
  let text: string
  if (verb === 'f' || verb === 'F') text = formatF(exactDecimal(x), p ?? 6)
  else if (verb === 'e' || verb === 'E') text = formatE(round(exactDecimal(x), (p ?? 6) + 1), p ?? 6)
  else text = formatG(x, p)
  if (verb === 'E' || verb === 'G') text = text.toUpperCase()
  return pad(text, spec, sign)
}

/** A decimal number 0.digits × 10^dp, digits without leading or trailing zeros ('' is 0). */
interface Decimal {
  digits: string
  dp: number
}

function exactDecimal(x: number): Decimal {
  // Every double below 1e21 has an exact expansion within 100 decimals for any x > 1e-15;
  // larger doubles are integers.
  const [whole, fraction = ''] = (x >= 1e21 ? BigInt(x).toString() : x.toFixed(100)).split('.')
  const all = whole + fraction
  const lead = /^0*/.exec(all)![0].length
  const digits = all.slice(lead).replace(/0+$/, '')
  return {digits, dp: digits ? whole.length - lead : 0}
}

/** strconv's rounding to nd significant digits: half away from zero, exact halves to even. */
function round(d: Decimal, nd: number): Decimal {
  if (nd < 0 || d.digits.length <= nd) return d
  const rest = d.digits.slice(nd)
  const keep = d.digits.slice(0, nd)
  const halfway = rest === '5'
  const up = halfway ? nd > 0 && Number(keep.at(-1)) % 2 === 1 : rest[0] >= '5'
  if (!up) return {digits: keep.replace(/0+$/, ''), dp: keep ? d.dp : 0}
  const i = keep.search(/9*$/) // increment: the trailing 9s become 0s and carry
  if (i === 0) return {digits: '1', dp: d.dp + 1}
  return {digits: keep.slice(0, i - 1) + String(Number(keep[i - 1]) + 1), dp: d.dp}
}

const digitAt = (d: Decimal, i: number): string => d.digits[i] ?? '0'

function formatF(exact: Decimal, decimals: number): string {
  const d = round(exact, exact.dp + decimals)
  const whole = d.dp <= 0 ? '0' : Array.from({length: d.dp}, (_, i) => digitAt(d, i)).join('')
  const fraction = Array.from({length: decimals}, (_, i) => (d.dp + i < 0 ? '0' : digitAt(d, d.dp + i))).join('')
  return decimals > 0 ? `${whole}.${fraction}` : whole
}

function formatE(d: Decimal, decimals: number): string {
  const exp = d.digits ? d.dp - 1 : 0
  const fraction = Array.from({length: decimals}, (_, i) => digitAt(d, i + 1)).join('')
  return `${digitAt(d, 0)}${decimals > 0 ? '.' + fraction : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

/** strconv.FormatFloat(x, 'g', precision); the shortest representation without a precision. */
function formatG(x: number, precision?: number): string {
  let d: Decimal
  if (precision === undefined) {
    const [mantissa, exponent] = x.toExponential().split('e')
    const digits = mantissa.replace('.', '').replace(/0+$/, '')
    d = {digits, dp: digits ? Number(exponent) + 1 : 0}
  } else {
    d = round(exactDecimal(x), Math.max(precision, 1))
  }
  const nd = d.digits.length
  let prec = precision === undefined ? nd : Math.max(precision, 1)
  let eprec = precision === undefined ? 6 : prec
  if (precision !== undefined && eprec > nd && nd >= d.dp) eprec = nd
  const exp = d.dp - 1
  if (exp < -4 || exp >= eprec) return formatE(d, Math.min(prec, nd) - 1)
  if (prec > d.dp) prec = nd
  return formatF(d, Math.max(prec - d.dp, 0))
}

/** strconv.Quote (quote '"') and QuoteRune (quote "'"). */
function goQuote(s: string, quote: string): string {
  const named: Record<number, string> = {7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v'}
  let out = quote
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (ch === quote || ch === '\\') out += `\\${ch}`
    else if (named[cp]) out += named[cp]
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`
    else out += `\\U${cp.toString(16).padStart(8, '0')}`
  }
  return out + quote
}

/** fmt.Sprintf for the verbs of Go's fmt that make sense for template data. */
export function sprintf(format: string, args: unknown[]): string {
  let out = ''
  let next = 0
  const re = /%([-+# 0]*)(\d+)?(?:\.(\d*))?(.?)/gsy
  let i = 0
  while (i < format.length) {
    const percent = format.indexOf('%', i)
    if (percent < 0) {
      out += format.slice(i)
      break
    }
    out += format.slice(i, percent)
    re.lastIndex = percent
    const m = re.exec(format)!
    i = re.lastIndex
    const [, flags, width, precision, verb] = m
    if (verb === '') {
      out += '%!(NOVERB)'
      continue
    }
    if (verb === '%') {
      out += '%'
      continue
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    const spec: Spec = {
      minus: flags.includes('-'),
      plus: flags.includes('+'),
      space: flags.includes(' '),
      zero: flags.includes('0') && !flags.includes('-'),
      sharp: flags.includes('#'),
      width: width === undefined ? undefined : Number(width),
      precision: precision === undefined ? undefined : Number(precision || 0),
    }
    out += printArg(args[next++], verb, spec)
  }
  if (next < args.length) {
    const extra = args.slice(next).map((a) => (a === undefined || a === null ? '<nil>' : `${goType(a)}=${sprintValue(a)}`))
    out += `%!(EXTRA ${extra.join(', ')})`
  }
  return out
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = ''
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' '
    out += sprintValue(a)
  })
  return out
}

// ---- truth and comparison -----------------------------------------------------------------

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') return value.length > 0
  if (typeof value === 'bigint') return value !== 0n
  if (Array.isArray(value)) return value.length > 0
  if (isRecord(value)) return isGoStruct(value) || Object.keys(value).length > 0
  return true
}

type Kind = 'nil' | 'bool' | 'number' | 'string' | 'other'
const kindOf = (v: unknown): Kind =>
  v === undefined || v === null ? 'nil' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'other'

function eq(a: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison')
  const ka = kindOf(a)
  return others.some((b) => {
    const kb = kindOf(b)
    if (ka === 'nil' || kb === 'nil') return ka === kb
    if (ka !== kb) throw new Error('incompatible types for comparison')
    if (ka === 'other') throw new Error(`non-comparable type ${sprintValue(a)}: ${goType(a)}`)
    return a === b
  })
}

function lt(a: unknown, b: unknown): boolean {
  const ka = kindOf(a)
  const kb = kindOf(b)
  if (ka !== 'number' && ka !== 'string' && ka !== 'bool') throw new Error('invalid type for comparison')
  if (kb !== 'number' && kb !== 'string' && kb !== 'bool') throw new Error('invalid type for comparison')
  if (ka !== kb) throw new Error('incompatible types for comparison')
  if (ka === 'bool') throw new Error('invalid type for comparison')
  return (a as number | string) < (b as number | string)
}

// ---- len, index, slice ----------------------------------------------------------------------

function length(v: unknown): number {
  if (v === undefined || v === null) throw new Error('len of nil pointer')
  if (typeof v === 'string') return Buffer.byteLength(v)
  if (Array.isArray(v)) return v.length
  if (isRecord(v)) return Object.keys(v).length
  throw new Error(`len of type ${goType(v)}`)
}

function indexArg(index: unknown, cap: number): number {
  if (index === undefined || index === null) throw new Error('cannot index slice/array with nil')
  if (typeof index !== 'number' || !isInt(index)) throw new Error(`cannot index slice/array with type ${goType(index)}`)
  if (index < 0 || index > cap) throw new Error(`index out of range: ${index}`)
  return index
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('index of untyped nil')
  for (const key of indexes) {
    if (item === undefined || item === null) throw new Error('index of nil pointer')
    if (Array.isArray(item) || typeof item === 'string') {
      const bytes = typeof item === 'string' ? Buffer.from(item, 'utf8') : item
      const x = indexArg(key, bytes.length)
      if (x >= bytes.length) throw new Error(`index out of range: ${x}`)
      item = bytes[x]
    } else if (isRecord(item)) {
      if (typeof key !== 'string') throw new Error(`value has type ${goType(key)}; should be string`)
      item = Object.hasOwn(item, key) ? item[key] : undefined
    } else {
      throw new Error(`can't index item of type ${goType(item)}`)
    }
  }
  return item
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('slice of untyped nil')
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`)
  if (typeof item !== 'string' && !Array.isArray(item)) throw new Error(`can't slice item of type ${goType(item)}`)
  if (typeof item === 'string' && indexes.length === 3) throw new Error('cannot 3-index slice a string')
  const bounds = [0, item.length]
  indexes.forEach((x, i) => (bounds[i] = indexArg(x, item.length)))
  if (bounds[0] > bounds[1]) throw new Error(`invalid slice index: ${bounds[0]} > ${bounds[1]}`)
  return item.slice(bounds[0], bounds[1])
}

// ---- containers/common report functions -----------------------------------------------------

/** encoding/json with SetEscapeHTML(false), trailing newline trimmed. Keys keep their order. */
export function json(value: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value === undefined ? null : value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('unsupported value')
      return typeof v === 'bigint' ? Number(v) : v
    })
  } catch {
    return '' // Go's encoder writes nothing on error, and the report function ignores the error
  }
  return (text ?? 'null')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/\\\\|\\ud[89a-f][0-9a-f]{2}/g, (escape) => (escape === '\\\\' ? escape : '\\ufffd')) // lone surrogates
}

/** strings.Title: upper-case letters that follow a separator. */
function title(s: string): string {
  let out = ''
  let afterSeparator = true
  for (const ch of s) {
    out += afterSeparator ? ch.toUpperCase() : ch
    afterSeparator = ch <= '\x7f' ? !/[A-Za-z0-9_]/.test(ch) : !/[\p{L}\p{N}]/u.test(ch) && /\s/u.test(ch)
  }
  return out
}

/** and/or: the first argument whose truth is `truth`, else the last argument. */
export function firstOrLast(args: unknown[], truth: boolean): unknown {
  const i = args.findIndex((a) => isTrue(a) === truth)
  return i < 0 ? args.at(-1) : args[i]
}

// ---- the function table ---------------------------------------------------------------------

/** How an argument is converted before the call, like Go's typed parameters. */
export type Param = 'any' | 'string' | 'int' | 'strings'

export interface TemplateFunction {
  params: Param[]
  /** the type of the trailing variadic parameters, if any */
  variadic?: Param
  call: (...args: never[]) => unknown
}

const fn = (params: Param[], call: TemplateFunction['call'], variadic?: Param): TemplateFunction => ({params, call, variadic})

export const FUNCTIONS: Record<string, TemplateFunction> = {
  // Go's builtins. The evaluator short-circuits "and" and "or" before calling them.
  and: fn(['any'], (...args: unknown[]) => firstOrLast(args, false), 'any'),
  or: fn(['any'], (...args: unknown[]) => firstOrLast(args, true), 'any'),
  not: fn(['any'], (a: unknown) => !isTrue(a)),
  eq: fn(['any'], eq, 'any'),
  ne: fn(['any', 'any'], (a: unknown, b: unknown) => !eq(a, b)),
  lt: fn(['any', 'any'], lt),
  le: fn(['any', 'any'], (a: unknown, b: unknown) => lt(a, b) || eq(a, b)),
  gt: fn(['any', 'any'], (a: unknown, b: unknown) => !(lt(a, b) || eq(a, b))),
  ge: fn(['any', 'any'], (a: unknown, b: unknown) => !lt(a, b)),
  len: fn(['any'], length),
  index: fn(['any'], index, 'any'),
  slice: fn(['any'], slice, 'any'),
  print: fn([], (...args: unknown[]) => sprint(args), 'any'),
  printf: fn(['string'], (format: string, ...args: unknown[]) => sprintf(format, args), 'any'),
  println: fn([], (...args: unknown[]) => args.map(sprintValue).join(' ') + '\n', 'any'),
  // containers/common pkg/report DefaultFuncs
  join: fn(['strings', 'string'], (list: string[], sep: string) => list.join(sep)),
  json: fn(['any'], json),
  lower: fn(['string'], (s: string) => s.toLowerCase()),
  upper: fn(['string'], (s: string) => s.toUpperCase()),
  title: fn(['string'], title),
  pad: fn(['string', 'int', 'int'], (s: string, left: number, right: number) => (s === '' ? s : ' '.repeat(Math.max(left, 0)) + s + ' '.repeat(Math.max(right, 0)))),
  split: fn(['string', 'string'], (s: string, sep: string) => (sep === '' ? [...s] : s.split(sep))),
  truncate: fn(['string', 'int'], (s: string, n: number) => [...s].slice(0, Math.max(n, 0)).join('')),
}

/**
 * Go converts each argument to the parameter's type or fails. Here numbers and booleans are
 * also accepted where a string is expected (tspod's records do not always use Podman's types).
 */
export function convertArg(value: unknown, param: Param): unknown {
  if (param === 'any') return value
  const expected = param === 'strings' ? '[]string' : param
  if (value === undefined || value === null) {
    if (param === 'strings') return []
    throw new Error(`invalid value; expected ${expected}`)
  }
  if (param === 'int' && typeof value === 'number' && isInt(value)) return value
  if (param === 'string' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return sprintValue(value)
  if (param === 'strings' && Array.isArray(value)) return value.map(sprintValue)
  throw new Error(`wrong type for value; expected ${expected}; got ${goType(value)}`)
}
