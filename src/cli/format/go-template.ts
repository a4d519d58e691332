// The subset of Go's text/template that Podman users write in --format: fields, variables,
// pipelines, if/else, range, with, and the functions of Go and of containers/common's report
// package (json, lower, upper, title, truncate, pad, join, split, …). No npm package
// implements it faithfully (see shared/reference/node-notes.md).
//
// Field lookup differs from Go in one way, on purpose: tspod's records use JSON-style keys
// ("host.kernel") while Podman users write Go field names ("{{.Host.Kernel}}"), so a field is
// looked up by its exact name first, then case-insensitively. A missing field renders as
// "<no value>", as a missing map key does in Go.
import {UsageError} from '../../errors'
import {FUNCTIONS, formatValue, isTrue} from './go-template-functions'

// ---- lexer ----------------------------------------------------------------------------------

type Token =
  | {t: 'field'; names: string[]}
  | {t: 'chain'; names: string[]}
  | {t: 'var'; name: string; names: string[]}
  | {t: 'ident'; name: string}
  | {t: 'string'; value: string}
  | {t: 'number'; value: number}
  | {t: 'bool'; value: boolean}
  | {t: 'nil'}
  | {t: 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma'}

interface Action {
  tokens: Token[]
  line: number
}

type Piece = {text: string} | {action: Action}

function fail(line: number, message: string): never {
  throw new UsageError(`template: output:${line}: ${message}`)
}

function lexAction(src: string, line: number): Token[] {
  const tokens: Token[] = []
  let i = 0
  const chainAt = (start: number): {names: string[]; end: number} => {
    const names: string[] = []
    let j = start
    while (src[j] === '.') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(j + 1))
      if (!m) break
      names.push(m[0])
      j += 1 + m[0].length
    }
    return {names, end: j}
  }
  while (i < src.length) {
    const c = src[i]
    if (/\s/.test(c)) {
      i++
    } else if (c === '|') {
      tokens.push({t: 'pipe'}), i++
    } else if (c === '(') {
      tokens.push({t: 'lparen'}), i++
    } else if (c === ')') {
      tokens.push({t: 'rparen'}), i++
    } else if (c === ',') {
      tokens.push({t: 'comma'}), i++
    } else if (src.startsWith(':=', i)) {
      tokens.push({t: 'declare'}), (i += 2)
    } else if (c === '=') {
      tokens.push({t: 'assign'}), i++
    } else if (c === '"') {
      let j = i + 1
      let raw = ''
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') raw += src[j++]
        raw += src[j++]
      }
      if (j >= src.length) fail(line, 'unterminated quoted string')
      try {
        tokens.push({t: 'string', value: JSON.parse(`"${raw}"`) as string})
      } catch {
        fail(line, `invalid syntax in string "${raw}"`)
      }
      i = j + 1
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1)
      if (j < 0) fail(line, 'unterminated raw quoted string')
      tokens.push({t: 'string', value: src.slice(i + 1, j)})
      i = j + 1
    } else if (c === '.') {
      const {names, end} = chainAt(i)
      if (names.length === 0 && /[A-Za-z0-9_]/.test(src[i + 1] ?? '')) fail(line, `bad character in field "${src.slice(i)}"`)
      // "(pipeline).Field": a field chain applied to the parenthesised value
      tokens.push(src[i - 1] === ')' && names.length > 0 ? {t: 'chain', names} : {t: 'field', names})
      i = names.length === 0 ? i + 1 : end
    } else if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(i))!
      const {names, end} = chainAt(i + m[0].length)
      tokens.push({t: 'var', name: m[0], names})
      i = end
    } else if (/[-+0-9]/.test(c)) {
      const m = /^[-+]?(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(e[-+]?[0-9]+)?)/.exec(src.slice(i))
      if (!m || m[0] === '-' || m[0] === '+') fail(line, `bad number syntax: "${src.slice(i, i + 10)}"`)
      tokens.push({t: 'number', value: Number(m[0])})
      i += m[0].length
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!
      const name = m[0]
      if (name === 'true' || name === 'false') tokens.push({t: 'bool', value: name === 'true'})
      else if (name === 'nil') tokens.push({t: 'nil'})
      else tokens.push({t: 'ident', name})
      i += name.length
    } else {
      fail(line, `unexpected "${c}" in command`)
    }
  }
  return tokens
}

function lex(source: string): Piece[] {
  const pieces: Piece[] = []
  let i = 0
  let line = 1
  while (i < source.length) {
    const open = source.indexOf('{{', i)
    if (open < 0) {
      pieces.push({text: source.slice(i)})
      break
    }
    let text = source.slice(i, open)
    let start = open + 2
    if (source[start] === '-' && /\s/.test(source[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '')
      start += 1
    }
    if (text) pieces.push({text})
    line += source.slice(i, open).split('\n').length - 1
    const close = source.indexOf('}}', start)
    if (close < 0) fail(line, 'unclosed action')
    let body = source.slice(start, close)
    let next = close + 2
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1)
      while (next < source.length && /\s/.test(source[next])) next++
    }
    const trimmed = body.trim()
    if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) pieces.push({action: {tokens: lexAction(body, line), line}})
    line += body.split('\n').length - 1
    i = next
  }
  return pieces
}

// ---- parser ---------------------------------------------------------------------------------

type Arg =
  | {k: 'field'; names: string[]}
  | {k: 'var'; name: string; names: string[]}
  | {k: 'func'; name: string}
  | {k: 'literal'; value: unknown}
  | {k: 'pipe'; pipe: Pipeline; names: string[]}

interface Pipeline {
  decl: string[]
  assign: boolean
  commands: Arg[][]
  line: number
}

type Node =
  | {k: 'text'; text: string}
  | {k: 'action'; pipe: Pipeline}
  | {k: 'if' | 'with'; pipe: Pipeline; body: Node[]; otherwise: Node[]}
  | {k: 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[]}

function parsePipeline(tokens: Token[], line: number): Pipeline {
  let pos = 0
  const decl: string[] = []
  let assign = false
  const declEnd = tokens.findIndex((t) => t.t === 'declare' || t.t === 'assign')
  if (declEnd > 0 && tokens.slice(0, declEnd).every((t) => t.t === 'var' || t.t === 'comma')) {
    for (const t of tokens.slice(0, declEnd)) if (t.t === 'var') decl.push(t.name)
    assign = tokens[declEnd].t === 'assign'
    pos = declEnd + 1
  }
  const commands: Arg[][] = [[]]
  const parseArg = (): Arg => {
    const t = tokens[pos++]
    switch (t.t) {
      case 'field':
        return {k: 'field', names: t.names}
      case 'var':
        return {k: 'var', name: t.name, names: t.names}
      case 'ident':
        if (!(t.name in FUNCTIONS)) fail(line, `function "${t.name}" not defined`)
        return {k: 'func', name: t.name}
      case 'string':
      case 'number':
      case 'bool':
        return {k: 'literal', value: t.value}
      case 'nil':
        return {k: 'literal', value: null}
      case 'lparen': {
        let depth = 1
        const start = pos
        while (pos < tokens.length && depth > 0) {
          if (tokens[pos].t === 'lparen') depth++
          if (tokens[pos].t === 'rparen') depth--
          pos++
        }
        if (depth !== 0) fail(line, 'unclosed left paren')
        const pipe = parsePipeline(tokens.slice(start, pos - 1), line)
        const next = tokens[pos]
        if (next?.t === 'chain') pos++
        return {k: 'pipe', pipe, names: next?.t === 'chain' ? next.names : []}
      }
      default:
        fail(line, `unexpected "${t.t === 'rparen' ? ')' : t.t === 'chain' ? '.' + t.names.join('.') : t.t}" in operand`)
    }
  }
  while (pos < tokens.length) {
    if (tokens[pos].t === 'pipe') {
      if (commands.at(-1)!.length === 0) fail(line, 'missing command')
      commands.push([])
      pos++
      continue
    }
    commands.at(-1)!.push(parseArg())
  }
  if (commands.at(-1)!.length === 0) fail(line, commands.length === 1 ? 'missing value for command' : 'missing command')
  return {decl, assign, commands, line}
}

function parse(pieces: Piece[]): Node[] {
  let pos = 0
  const keyword = (a: Action): string | undefined => {
    const t = a.tokens[0]
    return t?.t === 'ident' && ['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block'].includes(t.name) ? t.name : undefined
  }
  // Parse nodes until {{end}} or {{else}}; returns the nodes and what stopped them.
  const list = (inside: string | undefined): {nodes: Node[]; stop?: Action} => {
    const nodes: Node[] = []
    while (pos < pieces.length) {
      const piece = pieces[pos++]
      if ('text' in piece) {
        nodes.push({k: 'text', text: piece.text})
        continue
      }
      const a = piece.action
      const kw = keyword(a)
      if (kw === 'end' || kw === 'else') {
        if (!inside) fail(a.line, `unexpected {{${kw}}}`)
        return {nodes, stop: a}
      }
      if (kw === 'if' || kw === 'with' || kw === 'range') nodes.push(block(kw, a))
      else if (kw) fail(a.line, `{{${kw}}} is not supported by tspod's templates`)
      else nodes.push({k: 'action', pipe: parsePipeline(a.tokens, a.line)})
    }
    if (inside) fail(pieces.length ? 0 : 1, `unexpected EOF in ${inside}`)
    return {nodes}
  }
  const block = (kw: 'if' | 'with' | 'range', a: Action, tokens: Token[] = a.tokens.slice(1)): Node => {
    if (tokens.length === 0) fail(a.line, `missing value for ${kw}`)
    const pipe = parsePipeline(tokens, a.line)
    const body = list(kw)
    let otherwise: Node[] = []
    if (body.stop && keyword(body.stop) === 'else') {
      const rest = body.stop.tokens.slice(1)
      if (rest.length > 0 && rest[0].t === 'ident' && (rest[0].name === 'if' || rest[0].name === 'with')) {
        // {{else if ...}} chains: the else branch is a nested block that consumes the {{end}}.
        otherwise = [block(rest[0].name as 'if' | 'with', body.stop, rest.slice(1))]
      } else {
        const tail = list(kw)
        if (tail.stop && keyword(tail.stop) !== 'end') fail(tail.stop.line, 'expected end; found {{else}}')
        otherwise = tail.nodes
      }
    } else if (!body.stop) {
      fail(a.line, `unexpected EOF in ${kw}`)
    }
    return {k: kw, pipe, body: body.nodes, otherwise}
  }
  return list(undefined).nodes
}

// ---- evaluation -----------------------------------------------------------------------------

type Scope = Map<string, unknown>

function lookupField(value: unknown, name: string, line: number): unknown {
  if (value === null || value === undefined) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) fail(line, `can't evaluate field ${name} in type ${Array.isArray(value) ? 'slice' : typeof value}`)
  const record = value as Record<string, unknown>
  if (name in record) return record[name]
  const lower = name.toLowerCase()
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : record[key]
}

function chain(value: unknown, names: string[], line: number): unknown {
  return names.reduce((v, n) => lookupField(v, n, line), value)
}

function evalArg(arg: Arg, dot: unknown, vars: Scope, line: number): unknown {
  switch (arg.k) {
    case 'field':
      return chain(dot, arg.names, line)
    case 'var':
      if (!vars.has(arg.name)) fail(line, `undefined variable: ${arg.name}`)
      return chain(vars.get(arg.name), arg.names, line)
    case 'literal':
      return arg.value
    case 'pipe':
      return chain(evalPipeline(arg.pipe, dot, vars), arg.names, line)
    case 'func':
      return callFunction(arg.name, [], line)
  }
}

function callFunction(name: string, args: unknown[], line: number): unknown {
  try {
    return FUNCTIONS[name](...args)
  } catch (err) {
    fail(line, `error calling ${name}: ${(err as Error).message}`)
  }
}

function evalPipeline(pipe: Pipeline, dot: unknown, vars: Scope): unknown {
  let value: unknown
  pipe.commands.forEach((command, i) => {
    const [first, ...rest] = command
    const piped = i > 0 ? [value] : []
    if (first.k === 'func') {
      value = callFunction(first.name, [...rest.map((a) => evalArg(a, dot, vars, pipe.line)), ...piped], pipe.line)
    } else {
      if (rest.length > 0 || piped.length > 0) fail(pipe.line, `can't give argument to non-function ${first.k === 'field' ? '.' + first.names.join('.') : 'value'}`)
      value = evalArg(first, dot, vars, pipe.line)
    }
  })
  if (pipe.decl.length > 0) {
    if (pipe.assign && !vars.has(pipe.decl[0])) fail(pipe.line, `undefined variable: ${pipe.decl[0]}`)
    vars.set(pipe.decl[0], value)
  }
  return value
}

function render(nodes: Node[], dot: unknown, vars: Scope, out: string[]): void {
  for (const node of nodes) {
    switch (node.k) {
      case 'text':
        out.push(node.text)
        break
      case 'action': {
        const value = evalPipeline(node.pipe, dot, vars)
        if (node.pipe.decl.length === 0) out.push(formatValue(value))
        break
      }
      case 'if': {
        const value = evalPipeline(node.pipe, dot, new Map(vars))
        render(isTrue(value) ? node.body : node.otherwise, dot, new Map(vars), out)
        break
      }
      case 'with': {
        const scope = new Map(vars)
        const value = evalPipeline(node.pipe, dot, scope)
        if (isTrue(value)) render(node.body, value, scope, out)
        else render(node.otherwise, dot, new Map(vars), out)
        break
      }
      case 'range': {
        const decl = node.pipe.decl
        const value = evalPipeline({...node.pipe, decl: []}, dot, vars)
        const entries: [unknown, unknown][] = Array.isArray(value)
          ? value.map((v, i) => [i, v])
          : value !== null && typeof value === 'object'
            ? Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]])
            : typeof value === 'number'
              ? Array.from({length: value}, (_, i) => [i, i])
              : value === null || value === undefined
                ? []
                : fail(node.pipe.line, `range can't iterate over ${formatValue(value)}`)
        if (entries.length === 0) render(node.otherwise, dot, new Map(vars), out)
        for (const [key, element] of entries) {
          const scope = new Map(vars)
          if (decl.length === 1) scope.set(decl[0], element)
          if (decl.length === 2) scope.set(decl[0], key).set(decl[1], element)
          render(node.body, element, scope, out)
        }
        break
      }
    }
  }
}

export interface CompiledTemplate {
  render(data: unknown): string
}

export function compileTemplate(source: string): CompiledTemplate {
  const nodes = parse(lex(source))
  return {
    render(data: unknown): string {
      const out: string[] = []
      render(nodes, data, new Map([['$', data]]), out)
      return out.join('')
    },
  }
}

// ---- Podman's --format conventions ----------------------------------------------------------

export function isJsonFormat(format: string): boolean {
  return format.trim().toLowerCase() === 'json'
}

/**
 * containers/common report rules: a leading "table" keyword asks for a header row; "\t" and
 * "\n" typed literally in the flag become tab and newline; each record ends with a newline.
 */
export function normalizeFormat(format: string): {table: boolean; source: string} {
  let source = format
  let table = false
  const m = /^\s*table(\s+|$)/.exec(source)
  if (m) {
    table = true
    source = source.slice(m[0].length)
  }
  source = source.replace(/\\t/g, '\t').replace(/\\n/g, '\n')
  if (!source.endsWith('\n')) source += '\n'
  return {table, source}
}

/** A column title from a field name: "CreatedSince" → "CREATED SINCE", "ID" → "ID". */
function defaultHeader(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toUpperCase()
}

/** Go's tabwriter with minwidth 0, padding 2, padchar ' ': cells end at tabs, columns align. */
export function alignColumns(text: string): string {
  const lines = text.split('\n')
  const rows = lines.map((l) => l.split('\t'))
  const widths: number[] = []
  for (const cells of rows) cells.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)))
  return rows.map((cells) => cells.map((c, i) => (i < cells.length - 1 ? c + ' '.repeat(widths[i] - [...c].length + 2) : c)).join('')).join('\n')
}

/** A `table` format: a header row (fields replaced by their titles), then one row per record. */
export function renderTable(rows: Record<string, unknown>[], source: string, headers: Record<string, string>): string {
  const template = compileTemplate(source)
  const header = source.replace(/\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_.]*)\s*-?\}\}/g, (_, field: string) => headers[field] ?? defaultHeader(field.split('.').at(-1)!))
  const headerLine = /\{\{/.test(header) ? '' : header
  return alignColumns(headerLine + rows.map((r) => template.render(r)).join(''))
}
