// Execution of a parsed template (text/template/exec.go): a walk over the tree with Go's
// variable stack, field lookup, pipelines and function calls.
import {convertArg, FUNCTIONS, formatValue, goType, isTrue} from './functions'
import {Command, Control, Node, Operand, Pipeline} from './parser'

/** An execution error at a node; the caller adds Go's "template: name:line:col: executing" prefix. */
export class TemplateExecError extends Error {
  constructor(
    message: string,
    readonly at: {pos: number; end: number} | undefined,
  ) {
    super(message)
  }
}

/**
 * The data of a table's header row. Podman renders the header by executing the template on a
 * map of column titles; here any field chain evaluated on a HeaderRow yields its title.
 */
export class HeaderRow {
  constructor(readonly title: (names: string[]) => string) {}
}

/** No value piped in from the previous command. */
const MISSING = Symbol('missing')
const BREAK = Symbol('break')
const CONTINUE = Symbol('continue')

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof HeaderRow)

/**
 * A field of a record: the exact key, else a key that differs only in case, because tspod's
 * records use JSON names ("graphRoot") where Podman users write Go's ("GraphRoot").
 */
export function lookupField(record: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(record, name)) return record[name]
  const lower = name.toLowerCase()
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : record[key]
}

export function execute(nodes: Node[], data: unknown, source: string): string {
  const out: string[] = []
  const vars: {name: string; value: unknown}[] = [{name: '$', value: data}]
  let at: {pos: number; end: number} | undefined
  const text = (node: {pos: number; end: number}): string => source.slice(node.pos, node.end).trim()

  const fail = (message: string): never => {
    throw new TemplateExecError(message, at)
  }

  const varIndex = (name: string): number => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === name) return i
    return fail(`undefined variable: ${name}`)
  }

  const walk = (list: Node[], dot: unknown): void => {
    for (const node of list) {
      switch (node.type) {
        case 'text':
          out.push(node.text)
          break
        case 'action': {
          const value = evalPipeline(dot, node.pipe)
          if (node.pipe.decl.length === 0) out.push(formatValue(value))
          break
        }
        case 'if':
        case 'with': {
          const mark = vars.length
          try {
            const value = evalPipeline(dot, node.pipe)
            if (isTrue(value)) walk(node.list, node.type === 'with' ? value : dot)
            else if (node.elseList) walk(node.elseList, dot)
          } finally {
            vars.length = mark
          }
          break
        }
        case 'range':
          walkRange(dot, node)
          break
        case 'break':
          throw BREAK
        case 'continue':
          throw CONTINUE
      }
    }
  }

  const walkRange = (dot: unknown, node: Control<'range'>): void => {
    const mark = vars.length
    try {
      const value = evalPipeline(dot, node.pipe)
      const {decl, isAssign} = node.pipe
      const entries = rangeEntries(value, decl.length)
      const bodyMark = vars.length
      for (const [key, element] of entries) {
        // With one variable it gets the element; with two, the key and the element.
        if (isAssign) {
          if (decl.length === 1) vars[varIndex(decl[0])].value = element
          if (decl.length === 2) {
            vars[varIndex(decl[0])].value = key
            vars[varIndex(decl[1])].value = element
          }
        } else {
          if (decl.length >= 1) vars[bodyMark - 1].value = element
          if (decl.length === 2) vars[bodyMark - 2].value = key
        }
        try {
          walk(node.list, element)
        } catch (signal) {
          if (signal === BREAK) break
          if (signal !== CONTINUE) throw signal
        } finally {
          vars.length = bodyMark
        }
      }
      if (entries.length === 0 && node.elseList) walk(node.elseList, dot)
    } finally {
      vars.length = mark
    }
  }

  const rangeEntries = (value: unknown, declared: number): [unknown, unknown][] => {
    if (value === undefined || value === null) return []
    if (Array.isArray(value)) return value.map((v, i) => [i, v])
    if (isRecord(value)) return Object.keys(value).sort().map((k) => [k, value[k]])
    if (typeof value === 'number' && Number.isInteger(value)) {
      if (declared > 1) fail(`can't use ${value} to iterate over more than one variable`)
      return Array.from({length: Math.max(value, 0)}, (_, i) => [i, i])
    }
    return fail(`range can't iterate over ${formatValue(value)}`)
  }

  const evalPipeline = (dot: unknown, pipe: Pipeline): unknown => {
    at = pipe
    let value: unknown = MISSING
    for (const command of pipe.commands) value = evalCommand(dot, command, value)
    for (const name of pipe.decl) {
      if (pipe.isAssign) vars[varIndex(name)].value = value
      else vars.push({name, value})
    }
    return value
  }

  const notAFunction = (args: Operand[], final: unknown): void => {
    if (args.length > 1 || final !== MISSING) fail(`can't give argument to non-function ${text(args[0])}`)
  }

  const evalCommand = (dot: unknown, command: Command, final: unknown): unknown => {
    const first = command.args[0]
    switch (first.type) {
      case 'field':
        return evalFieldChain(dot, first, first.names, command.args, final)
      case 'chain':
        return evalChain(dot, first, command.args, final)
      case 'identifier':
        return evalFunction(dot, first.name, first, command, command.args.slice(1), final)
      case 'variable':
        return evalVariable(first, command.args, final)
      case 'pipe':
        notAFunction(command.args, final)
        return evalPipeline(dot, first.pipe)
    }
    at = first
    notAFunction(command.args, final)
    switch (first.type) {
      case 'literal':
        return first.value
      case 'dot':
        return dot
      case 'nil':
        return fail('nil is not a command')
    }
  }

  const evalChain = (dot: unknown, chain: Operand & {type: 'chain'}, args: Operand[], final: unknown): unknown => {
    if (chain.node.type === 'nil') fail(`indirection through explicit nil in ${text(chain)}`)
    return evalFieldChain(evalArg(dot, chain.node), chain, chain.names, args, final)
  }

  const evalVariable = (variable: Operand & {type: 'variable'}, args: Operand[], final: unknown): unknown => {
    at = variable
    const value = vars[varIndex(variable.name)].value
    if (variable.names.length === 0) {
      notAFunction(args, final)
      return value
    }
    return evalFieldChain(value, variable, variable.names, args, final)
  }

  const evalFieldChain = (receiver: unknown, node: Operand, names: string[], args: Operand[], final: unknown): unknown => {
    at = node
    const hasArgs = args.length > 1 || final !== MISSING
    if (receiver instanceof HeaderRow) {
      if (hasArgs) fail(`${names.at(-1)} is not a method but has arguments`)
      return receiver.title(names)
    }
    names.forEach((name, i) => {
      // A field of nil is nil here; Go fails on nil pointers but not on missing map keys.
      if (receiver === undefined || receiver === null) return
      if (!isRecord(receiver)) fail(`can't evaluate field ${name} in type ${goType(receiver)}`)
      if (i === names.length - 1 && hasArgs) fail(`${name} is not a method but has arguments`)
      receiver = lookupField(receiver as Record<string, unknown>, name)
    })
    return receiver
  }

  const evalArg = (dot: unknown, arg: Operand): unknown => {
    at = arg
    switch (arg.type) {
      case 'dot':
        return dot
      case 'nil':
        return null
      case 'literal':
        return arg.value
      case 'field':
        return evalFieldChain(dot, arg, arg.names, [arg], MISSING)
      case 'variable':
        return evalVariable(arg, [arg], MISSING)
      case 'chain':
        return evalChain(dot, arg, [arg], MISSING)
      case 'pipe':
        return evalPipeline(dot, arg.pipe)
      case 'identifier':
        return evalFunction(dot, arg.name, arg, arg, [], MISSING)
    }
  }

  const evalFunction = (dot: unknown, name: string, ident: Operand, command: {pos: number; end: number}, argNodes: Operand[], final: unknown): unknown => {
    at = ident
    const f = FUNCTIONS[name]
    const count = argNodes.length + (final === MISSING ? 0 : 1)
    if (f.variadic !== undefined && count < f.params.length) fail(`wrong number of args for ${name}: want at least ${f.params.length} got ${count}`)
    if (f.variadic === undefined && count !== f.params.length) fail(`wrong number of args for ${name}: want ${f.params.length} got ${count}`)
    const paramOf = (i: number) => f.params[i] ?? f.variadic!
    const convert = (value: unknown, i: number): unknown => {
      try {
        return convertArg(value, paramOf(i))
      } catch (err) {
        return fail((err as Error).message)
      }
    }

    if (name === 'and' || name === 'or') {
      // Go evaluates the arguments of and/or left to right only until the result is known.
      let value: unknown
      for (const node of argNodes) {
        value = evalArg(dot, node)
        if (isTrue(value) === (name === 'or')) return value
      }
      return final === MISSING ? value : final
    }

    const args = argNodes.map((node, i) => convert(evalArg(dot, node), i))
    if (final !== MISSING) args.push(convert(final, args.length))
    try {
      return (f.call as (...a: unknown[]) => unknown)(...args)
    } catch (err) {
      at = command
      return fail(`error calling ${name}: ${(err as Error).message}`)
    }
  }

  walk(nodes, data)
  return out.join('')
}

