// The parser of Go's text/template (text/template/parse/parse.go): items to a tree.
// Like Go, it checks at parse time that functions exist and that variables are declared.
import {Item, ItemType, lex, unquote} from './lexer'

/** Every node records where it starts and ends in the source, for error messages. */
interface Span {
  pos: number
  end: number
}

export type Operand =
  | (Span & {type: 'field'; names: string[]}) // .A.B
  | (Span & {type: 'variable'; name: string; names: string[]}) // $x.A.B
  | (Span & {type: 'dot'})
  | (Span & {type: 'identifier'; name: string}) // a function
  | (Span & {type: 'chain'; node: Operand; names: string[]}) // (pipeline).A.B
  | (Span & {type: 'pipe'; pipe: Pipeline}) // (pipeline)
  | (Span & {type: 'literal'; value: string | number | boolean})
  | (Span & {type: 'nil'})

export interface Command extends Span {
  args: Operand[]
}

export interface Pipeline extends Span {
  decl: string[]
  isAssign: boolean
  commands: Command[]
}

/** if, with and range: a pipeline, a body, and the optional {{else}} part */
export interface Control<T extends 'if' | 'with' | 'range'> extends Span {
  type: T
  pipe: Pipeline
  list: Node[]
  elseList?: Node[]
}

export type Node =
  | {type: 'text'; text: string}
  | (Span & {type: 'action'; pipe: Pipeline})
  | Control<'if'>
  | Control<'with'>
  | Control<'range'>
  | (Span & {type: 'break' | 'continue'})

/** A parse error; the caller turns it into Go's "template: name:line: message". */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    /** for lexical errors inside an action: where the action started */
    readonly actionPos?: number,
  ) {
    super(message)
  }
}

/** Go's item.String(): keywords as <if>, long values cut, others quoted. */
function describe(item: Item): string {
  if (item.type === 'eof') return 'EOF'
  if (item.type === 'error') return item.value
  if (item.type === 'keyword' || item.type === 'dot' || item.type === 'nil') return `<${item.value}>`
  return item.value.length > 10 ? `${JSON.stringify(item.value.slice(0, 10))}...` : JSON.stringify(item.value)
}

const OPERAND_START = new Set<ItemType>(['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'string', 'variable', 'leftParen'])

export function parse(source: string, hasFunction: (name: string) => boolean): Node[] {
  const items = lex(source)
  let index = 0
  const vars = ['$']
  let rangeDepth = 0

  const next = (): Item => {
    const item = items[Math.min(index++, items.length - 1)]
    if (item.type === 'error') throw new TemplateSyntaxError(item.value, item.pos, item.actionPos)
    return item
  }
  const backup = (): void => void index--
  const peek = (): Item => {
    const item = next()
    backup()
    return item
  }
  const nextNonSpace = (): Item => {
    let item = next()
    while (item.type === 'space') item = next()
    return item
  }
  const peekNonSpace = (): Item => {
    const item = nextNonSpace()
    backup()
    return item
  }
  const errorAt = (item: Item, message: string): never => {
    throw new TemplateSyntaxError(message, item.pos)
  }
  const unexpected = (item: Item, context: string): never => errorAt(item, `unexpected ${describe(item)} in ${context}`)
  const expect = (type: ItemType, context: string): Item => {
    const item = nextNonSpace()
    if (item.type !== type) unexpected(item, context)
    return item
  }

  // ---- operands, commands, pipelines

  const term = (): Operand | undefined => {
    const item = nextNonSpace()
    const span = {pos: item.pos, end: item.pos + item.value.length}
    switch (item.type) {
      case 'identifier':
        if (!hasFunction(item.value)) errorAt(item, `function ${JSON.stringify(item.value)} not defined`)
        return {...span, type: 'identifier', name: item.value}
      case 'dot':
        return {...span, type: 'dot'}
      case 'nil':
        return {...span, type: 'nil'}
      case 'variable':
        if (!vars.includes(item.value)) errorAt(item, `undefined variable ${JSON.stringify(item.value)}`)
        return {...span, type: 'variable', name: item.value, names: []}
      case 'field':
        return {...span, type: 'field', names: [item.value.slice(1)]}
      case 'bool':
        return {...span, type: 'literal', value: item.value === 'true'}
      case 'number':
      case 'char':
        return {...span, type: 'literal', value: parseNumber(item)}
      case 'string':
        try {
          return {...span, type: 'literal', value: unquote(item.value)}
        } catch {
          return errorAt(item, 'invalid syntax')
        }
      case 'leftParen': {
        const pipe = pipeline('parenthesized pipeline', 'rightParen')
        return {pos: item.pos, end: pipe.end + 1, type: 'pipe', pipe}
      }
    }
    backup()
    return undefined
  }

  const parseNumber = (item: Item): number => {
    if (item.type === 'char') {
      let text: string
      try {
        text = unquote(item.value)
      } catch {
        return errorAt(item, `malformed character constant: ${item.value}`)
      }
      const cps = [...text]
      if (cps.length !== 1) errorAt(item, `malformed character constant: ${item.value}`)
      return cps[0].codePointAt(0)!
    }
    const text = item.value.replace(/_/g, '')
    const negative = text.startsWith('-')
    const unsigned = text.replace(/^[-+]/, '')
    const value = /^0[0-7]+$/.test(unsigned) ? parseInt(unsigned, 8) : Number(unsigned)
    if (unsigned === '' || Number.isNaN(value)) errorAt(item, `illegal number syntax: ${JSON.stringify(item.value)}`)
    return negative ? -value : value
  }

  const operand = (): Operand | undefined => {
    const node = term()
    if (node === undefined || peek().type !== 'field') return node
    const names: string[] = []
    let end = node.end
    while (peek().type === 'field') {
      const field = next()
      names.push(field.value.slice(1))
      end = field.pos + field.value.length
    }
    switch (node.type) {
      case 'field':
      case 'variable':
        return {...node, names: [...node.names, ...names], end}
      case 'literal':
      case 'nil':
      case 'dot':
        return errorAt(items[index - 1], `unexpected . after term ${JSON.stringify(source.slice(node.pos, node.end))}`)
      default:
        return {pos: node.pos, end, type: 'chain', node, names}
    }
  }

  const command = (): Command => {
    const args: Operand[] = []
    const pos = peekNonSpace().pos
    for (;;) {
      peekNonSpace()
      const arg = operand()
      if (arg) args.push(arg)
      const item = next()
      if (item.type === 'space') continue
      if (item.type === 'rightDelim' || item.type === 'rightParen') backup()
      else if (item.type !== 'pipe') unexpected(item, 'operand')
      break
    }
    if (args.length === 0) errorAt(items[index - 1], 'empty command')
    return {pos, end: args.at(-1)!.end, args}
  }

  const pipeline = (context: string, end: 'rightDelim' | 'rightParen'): Pipeline => {
    const pipe: Pipeline = {pos: peekNonSpace().pos, end: 0, decl: [], isAssign: false, commands: []}
    // Declarations: "$x :=", "$x =", and in range "$i, $e :=".
    for (;;) {
      const v = peekNonSpace()
      if (v.type !== 'variable') break
      const start = index
      nextNonSpace()
      const after = nextNonSpace()
      if (after.type === 'declare' || after.type === 'assign') {
        pipe.isAssign = after.type === 'assign'
        pipe.decl.push(v.value)
        vars.push(v.value)
        break
      }
      if (after.type === 'otherChar' && after.value === ',') {
        pipe.decl.push(v.value)
        vars.push(v.value)
        if (context === 'range' && pipe.decl.length < 2) {
          if (!['variable', 'rightDelim', 'rightParen'].includes(peekNonSpace().type)) errorAt(after, 'range can only initialize variables')
          continue
        }
        errorAt(after, `too many declarations in ${context}`)
      }
      index = start // "$x" is an operand, not a declaration
      break
    }
    for (;;) {
      const item = nextNonSpace()
      if (item.type === end) {
        if (pipe.commands.length === 0) errorAt(item, `missing value for ${context}`)
        pipe.commands.slice(1).forEach((c, i) => {
          if (['literal', 'dot', 'nil'].includes(c.args[0].type)) errorAt(item, `non executable command in pipeline stage ${i + 2}`)
        })
        pipe.end = item.pos
        if (end === 'rightDelim') backup()
        return pipe
      }
      if (!OPERAND_START.has(item.type)) unexpected(item, context)
      backup()
      pipe.commands.push(command())
    }
  }

  // ---- actions and control structures

  type Parsed = Node | {type: 'end'; item: Item} | {type: 'else'; item: Item; elseKeyword?: string}

  const action = (open: Item): Parsed => {
    const item = nextNonSpace()
    if (item.type === 'keyword') {
      switch (item.value) {
        case 'if':
        case 'with':
        case 'range':
          return control(item.value, open)
        case 'end':
          expect('rightDelim', 'end')
          return {type: 'end', item}
        case 'else': {
          // "{{else if ...}}" and "{{else with ...}}" leave the keyword to be parsed next
          const after = peekNonSpace()
          if (after.type === 'keyword' && (after.value === 'if' || after.value === 'with')) return {type: 'else', item, elseKeyword: after.value}
          expect('rightDelim', 'else')
          return {type: 'else', item}
        }
        case 'break':
        case 'continue': {
          const close = expect('rightDelim', item.value)
          if (rangeDepth === 0) errorAt(item, `{{${item.value}}} outside {{range}}`)
          return {type: item.value, pos: open.pos, end: close.pos + 2}
        }
        default:
          errorAt(item, `{{${item.value}}} is not supported`)
      }
    }
    backup()
    const pipe = pipeline('command', 'rightDelim')
    const close = next()
    return {type: 'action', pos: open.pos, end: close.pos + 2, pipe}
  }

  /** Nodes up to the next {{end}} or {{else}}, which is returned too. */
  const itemList = (): {list: Node[]; stop: Parsed & {type: 'end' | 'else'}} => {
    const list: Node[] = []
    while (peekNonSpace().type !== 'eof') {
      const node = textOrAction()
      if (node.type === 'end' || node.type === 'else') return {list, stop: node}
      list.push(node)
    }
    return errorAt(peekNonSpace(), 'unexpected EOF')
  }

  const control = (context: 'if' | 'with' | 'range', open: Item): Node => {
    const mark = vars.length
    const pipe = pipeline(context, 'rightDelim')
    next()
    if (context === 'range') rangeDepth++
    const body = itemList()
    if (context === 'range') rangeDepth--
    let elseList: Node[] | undefined
    let stop = body.stop
    if (stop.type === 'else') {
      if (stop.elseKeyword && stop.elseKeyword === context) {
        // {{if a}}…{{else if b}}…{{end}} is {{if a}}…{{else}}{{if b}}…{{end}}{{end}}
        const keyword = nextNonSpace()
        elseList = [control(context, keyword)]
      } else {
        if (stop.elseKeyword) unexpected(peekNonSpace(), 'input')
        const rest = itemList()
        if (rest.stop.type !== 'end') errorAt(rest.stop.item, 'expected end; found {{else}}')
        elseList = rest.list
        stop = rest.stop
      }
    }
    vars.length = mark
    return {type: context, pos: open.pos, end: stop.item.pos, pipe, list: body.list, elseList}
  }

  const textOrAction = (): Parsed => {
    const item = nextNonSpace()
    if (item.type === 'text') return {type: 'text', text: item.value}
    if (item.type === 'leftDelim') return action(item)
    return unexpected(item, 'input')
  }

  const root: Node[] = []
  while (peek().type !== 'eof') {
    const node = textOrAction()
    if (node.type === 'end' || node.type === 'else') errorAt(node.item, `unexpected {{${node.type}}}`)
    root.push(node as Node)
  }
  return root
}
