// The lexer of Go's text/template (text/template/parse/lex.go), delimiters fixed to {{ }}.
// It produces every item up front; a lexical error becomes a final 'error' item so that the
// parser reports errors in source order, as Go does.

export type ItemType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'field' // .Name
  | 'variable' // $ or $name
  | 'dot' // .
  | 'identifier' // a function name
  | 'keyword' // if, else, end, range, with, break, continue, define, template, block
  | 'string' // "quoted" or `raw`
  | 'number' // value is the literal's text
  | 'char' // 'x', value is the literal's text
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare' // :=
  | 'assign' // =
  | 'otherChar' // any other printable ASCII character, such as ','
  | 'error'
  | 'eof'

export interface Item {
  type: ItemType
  /** the item's source text, or the message of an error */
  value: string
  pos: number
  /** for errors inside an action: where the action started */
  actionPos?: number
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with'])

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c)
const hasLeftTrimMarker = (src: string, at: number): boolean => src[at] === '-' && isSpace(src[at + 1])
const hasRightTrimMarker = (src: string, at: number): boolean => isSpace(src[at]) && src[at + 1] === '-'

function trimRightSpaces(s: string): string {
  let end = s.length
  while (end > 0 && isSpace(s[end - 1])) end--
  return s.slice(0, end)
}

/** Go's strconv.Unquote for "..." strings and '...' character constants. Throws 'invalid syntax'. */
export function unquote(literal: string): string {
  const quote = literal[0]
  if (quote === '`') return literal.slice(1, -1).replace(/\r/g, '')
  const body = literal.slice(1, -1)
  const bytes: number[] = []
  const pushText = (s: string): void => void bytes.push(...Buffer.from(s, 'utf8'))
  const simple: Record<string, number> = {a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92}
  for (let i = 0; i < body.length; ) {
    const c = body[i]
    if (c === quote || c === '\n') throw new Error('invalid syntax')
    if (c !== '\\') {
      const cp = body.codePointAt(i)!
      pushText(String.fromCodePoint(cp))
      i += cp > 0xffff ? 2 : 1
      continue
    }
    const e = body[i + 1]
    if (e in simple) {
      bytes.push(simple[e])
      i += 2
    } else if (e === quote) {
      bytes.push(quote.charCodeAt(0))
      i += 2
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = body.slice(i + 2, i + 2 + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error('invalid syntax')
      const v = parseInt(hex, 16)
      if (e === 'x') bytes.push(v)
      else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new Error('invalid syntax')
      else pushText(String.fromCodePoint(v))
      i += 2 + n
    } else if (/[0-7]/.test(e ?? '')) {
      const oct = body.slice(i + 1, i + 4)
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw new Error('invalid syntax')
      bytes.push(parseInt(oct, 8))
      i += 4
    } else {
      throw new Error('invalid syntax')
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

export function lex(src: string): Item[] {
  const items: Item[] = []
  let pos = 0
  let parenDepth = 0
  const emit = (type: ItemType, start: number, end: number, value = src.slice(start, end)): void => void items.push({type, value, pos: start})
  let actionPos: number | undefined
  const fail = (message: string, at: number): Item[] => {
    items.push({type: 'error', value: message, pos: at, actionPos})
    return items
  }
  const atRightDelim = (at: number): {delim: boolean; trim: boolean} => {
    if (hasRightTrimMarker(src, at) && src.startsWith('}}', at + 2)) return {delim: true, trim: true}
    return {delim: src.startsWith('}}', at), trim: false}
  }
  const atTerminator = (at: number): boolean =>
    at >= src.length || isSpace(src[at]) || '.,|:()'.includes(src[at]) || src.startsWith('}}', at)
  // After a right delimiter with a trim marker, skip the following spaces.
  const skipSpaces = (at: number): number => {
    while (isSpace(src[at])) at++
    return at
  }

  for (;;) {
    // ---- text up to the next action
    const open = src.indexOf('{{', pos)
    if (open < 0) {
      if (pos < src.length) emit('text', pos, src.length)
      emit('eof', src.length, src.length, '')
      return items
    }
    const trimLeft = hasLeftTrimMarker(src, open + 2)
    const text = trimLeft ? trimRightSpaces(src.slice(pos, open)) : src.slice(pos, open)
    if (text) emit('text', pos, open, text)
    pos = open + 2 + (trimLeft ? 2 : 0)

    // ---- a comment takes the whole action
    if (src.startsWith('/*', pos)) {
      const end = src.indexOf('*/', pos + 2)
      if (end < 0) return fail('unclosed comment', open)
      const {delim, trim} = atRightDelim(end + 2)
      if (!delim) return fail('comment ends before closing delimiter', open)
      pos = end + 2 + (trim ? 2 : 0) + 2
      if (trim) pos = skipSpaces(pos)
      continue
    }

    emit('leftDelim', open, open + 2)
    actionPos = open
    parenDepth = 0
    // ---- inside the action
    for (;;) {
      const {delim, trim} = atRightDelim(pos)
      if (delim) {
        if (parenDepth > 0) return fail('unclosed left paren', pos)
        const start = pos + (trim ? 2 : 0)
        emit('rightDelim', start, start + 2)
        pos = start + 2
        if (trim) pos = skipSpaces(pos)
        actionPos = undefined
        break
      }
      const c = src[pos]
      const start = pos
      if (c === undefined) return fail('unclosed action', pos)
      if (isSpace(c)) {
        while (isSpace(src[pos])) pos++
        // The last space belongs to a " -}}" trim marker.
        if (src[pos] === '-' && src.startsWith('}}', pos + 1)) pos--
        if (pos > start) emit('space', start, pos)
      } else if (c === '=') {
        emit('assign', start, ++pos)
      } else if (c === ':') {
        if (src[pos + 1] !== '=') return fail('expected :=', pos)
        emit('declare', start, (pos += 2))
      } else if (c === '|') {
        emit('pipe', start, ++pos)
      } else if (c === '"' || c === "'") {
        pos++
        while (src[pos] !== c) {
          if (src[pos] === '\\' && src[pos + 1] !== undefined && src[pos + 1] !== '\n') pos++
          else if (src[pos] === undefined || src[pos] === '\n') return fail(c === '"' ? 'unterminated quoted string' : 'unterminated character constant', start)
          pos++
        }
        pos++
        emit(c === '"' ? 'string' : 'char', start, pos)
      } else if (c === '`') {
        const end = src.indexOf('`', pos + 1)
        if (end < 0) return fail('unterminated raw quoted string', start)
        pos = end + 1
        emit('string', start, pos)
      } else if (c === '$' || (c === '.' && !/[0-9]/.test(src[pos + 1] ?? ''))) {
        pos++
        if (atTerminator(pos)) {
          emit(c === '$' ? 'variable' : 'dot', start, pos)
          continue
        }
        while (isAlphaNumeric(src[pos])) pos++
        if (!atTerminator(pos)) return fail(`bad character ${describeRune(src, pos)}`, pos)
        emit(c === '$' ? 'variable' : 'field', start, pos)
      } else if (c === '.' || c === '+' || c === '-' || /[0-9]/.test(c)) {
        pos = scanNumber(src, pos)
        if (isAlphaNumeric(src[pos])) return fail(`bad number syntax: ${JSON.stringify(src.slice(start, pos + 1))}`, start)
        emit('number', start, pos)
      } else if (isAlphaNumeric(c)) {
        while (isAlphaNumeric(src[pos])) pos++
        if (!atTerminator(pos)) return fail(`bad character ${describeRune(src, pos)}`, pos)
        const word = src.slice(start, pos)
        emit(KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier', start, pos)
      } else if (c === '(') {
        emit('leftParen', start, ++pos)
        parenDepth++
      } else if (c === ')') {
        if (--parenDepth < 0) return fail('unexpected right paren', start)
        emit('rightParen', start, ++pos)
      } else if (c >= ' ' && c <= '~') {
        emit('otherChar', start, ++pos)
      } else {
        return fail(`unrecognized character in action: ${describeRune(src, pos)}`, pos)
      }
    }
  }
}

/** Go's %#U: U+007D '}' */
function describeRune(src: string, at: number): string {
  const cp = src.codePointAt(at) ?? 0
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCodePoint(cp)}'`
}

/** Go's scanNumber: sign, 0x/0o/0b prefixes, underscores, fraction and exponent. */
function scanNumber(src: string, pos: number): number {
  const acceptRun = (chars: string): void => {
    while (src[pos] !== undefined && chars.includes(src[pos])) pos++
  }
  if (src[pos] === '+' || src[pos] === '-') pos++
  let digits = '0123456789_'
  if (src[pos] === '0' && /[xXoObB]/.test(src[pos + 1] ?? '')) {
    const base = src[pos + 1].toLowerCase()
    digits = base === 'x' ? '0123456789abcdefABCDEF_' : base === 'o' ? '01234567_' : '01_'
    pos += 2
  }
  acceptRun(digits)
  if (src[pos] === '.') {
    pos++
    acceptRun(digits)
  }
  if (digits.length === 11 && (src[pos] === 'e' || src[pos] === 'E')) {
    pos++
    if (src[pos] === '+' || src[pos] === '-') pos++
    acceptRun('0123456789_')
  }
  return pos
}
