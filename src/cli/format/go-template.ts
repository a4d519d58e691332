// The subset of Go's text/template that Podman users write in --format, and Podman's
// conventions around it (containers/common pkg/report): `json`, `table`, escapes, headers and
// tab-aligned columns. No npm package implements Go templates faithfully.
//
// Supported: text, actions with {{- -}} trim markers, comments, fields (.A.B), variables ($,
// $x := …, $x = …), pipelines, parenthesised pipelines, literals, if / else if / else, range
// (arrays, maps in key order, integers; break, continue, else), with / else with, and the
// functions in ./go-template/functions.ts. Not supported: define, template, block, and Go's
// html, js, urlquery and call functions.
//
// Deliberate differences from Go, because tspod's data are JSON-like objects, not Go structs:
// - A field is looked up by its exact key first, then case-insensitively: tspod's records use
//   JSON names ("store.graphRoot") where users write Go's ("{{.Store.GraphRoot}}").
// - Objects behave like Go maps: a missing field is nil and prints "<no value>", an empty
//   object is false, and range visits keys in sorted order. A field of nil is nil (Go fails).
// - An integral number is an int and any other a float64; the float verbs (%f, %e, %g) also
//   accept integers. Functions that want a string also accept numbers and booleans.
import {UsageError} from '../../errors'
import {HeaderRow, TemplateExecError, execute, lookupField} from './go-template/evaluate'
import {FUNCTIONS} from './go-template/functions'
import {Node, TemplateSyntaxError, parse} from './go-template/parser'

export interface CompiledTemplate {
  render(data: unknown): string
}

function location(source: string, pos: number): {line: number; column: number} {
  const before = source.slice(0, pos)
  return {line: before.split('\n').length, column: pos - (before.lastIndexOf('\n') + 1)}
}

/**
 * Parses a template; syntax errors throw a UsageError with Go's message, e.g.
 * `template parsing error: template: output:1: unexpected "}" in operand`.
 * Rendering errors read like Go's too: `template: output:1:2: executing "output" at <…>: …`.
 */
export function compileTemplate(source: string, name = 'output'): CompiledTemplate {
  let nodes: Node[]
  try {
    nodes = parse(source, (fn) => Object.hasOwn(FUNCTIONS, fn))
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err
    let message = err.message
    if (err.actionPos !== undefined) {
      const started = location(source, err.actionPos).line
      if (started !== location(source, err.pos).line) message += `${message.endsWith(' action') ? '' : ' in action'} started at ${name}:${started}`
    }
    throw new UsageError(`template parsing error: template: ${name}:${location(source, err.pos).line}: ${message}`)
  }
  return {
    render(data: unknown): string {
      try {
        return execute(nodes, data, source)
      } catch (err) {
        if (!(err instanceof TemplateExecError)) throw err
        if (err.at === undefined) throw new UsageError(`template: ${name}: ${err.message}`)
        const {line, column} = location(source, err.at.pos)
        const context = source.slice(err.at.pos, err.at.end).trim()
        throw new UsageError(`template: ${name}:${line}:${column}: executing "${name}" at <${context}>: ${err.message}`)
      }
    },
  }
}

// ---- Podman's --format conventions ----------------------------------------------------------

/** `--format json` (any case), and Podman's `{{json}}` / `{{ json. }}`, ask for JSON output. */
export function isJsonFormat(format: string): boolean {
  return /^\s*(json|\{\{\s*json\.?\s*\}\})\s*$/i.test(format)
}

const TABLE_REPLACEMENTS: Record<string, string> = {'table ': '', '\\t': '\t', ' ': '\t', '\\n': '\n'}

function parses(source: string): boolean {
  try {
    compileTemplate(source)
    return true
  } catch {
    return false
  }
}

/**
 * containers/common's NormalizeFormat. A leading "table " asks for a header row and aligned
 * columns; in a table format every space becomes a column separator (a tab), as in Podman.
 * "\t" and "\n" typed literally become tab and newline, and each record ends with a newline.
 * If those replacements break the template (as in {{printf "\n"}}), Podman uses the text as
 * typed, without the replacements and without the added newline.
 */
export function normalizeFormat(format: string): {table: boolean; source: string} {
  const table = format.startsWith('table ')
  let source = table ? format.replace(/table |\\t| |\\n/g, (m) => TABLE_REPLACEMENTS[m]) : format.replace(/\\t|\\n/g, (m) => TABLE_REPLACEMENTS[m])
  if (!source.endsWith('\n')) source += '\n'
  if (!parses(source)) {
    const typed = table ? format.slice('table '.length) : format
    if (parses(typed)) return {table, source: typed}
  }
  return {table, source}
}

/** fatih/camelcase's Split, used by Podman for column titles: "ImageID" → ["Image", "ID"]. */
export function splitCamelCase(word: string): string[] {
  const classOf = (ch: string): number => (/\p{Ll}/u.test(ch) ? 1 : /\p{Lu}/u.test(ch) ? 2 : /\p{Nd}/u.test(ch) ? 3 : 4)
  const runs: string[][] = []
  let last = 0
  for (const ch of word) {
    const c = classOf(ch)
    if (c === last) runs[runs.length - 1].push(ch)
    else runs.push([ch])
    last = c
  }
  // "PDFL" "oader" → "PDF" "Loader"
  for (let i = 0; i < runs.length - 1; i++) {
    if (classOf(runs[i][0]) === 2 && classOf(runs[i + 1][0]) === 1) runs[i + 1].unshift(runs[i].pop()!)
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''))
}

/** A column title: the given header for the field, else the field name split and upper-cased. */
function columnTitle(names: string[], headers: Record<string, string>): string {
  const field = names.at(-1) ?? ''
  const given = headers[names.join('.')] ?? lookupField(headers, field)
  return typeof given === 'string' ? given.toUpperCase() : splitCamelCase(field).join(' ').toUpperCase()
}

/**
 * Go's text/tabwriter with padchar ' ' and no flags: lines are split into cells at tabs; the
 * cells of a column (a run of adjacent lines that have a cell there) are padded to the widest
 * cell plus `padding`, and at least to `minWidth`. The last cell of a line is not aligned.
 */
export function alignColumns(text: string, {minWidth = 0, padding = 2}: {minWidth?: number; padding?: number} = {}): string {
  const lines = text.split('\n').map((line) => line.split('\t'))
  const width = (cell: string): number => [...cell].length
  const format = (column: number, from: number, to: number): void => {
    for (let start = from; start < to; ) {
      if (lines[start].length - 1 <= column) {
        start++
        continue
      }
      let end = start
      let cellWidth = minWidth
      while (end < to && lines[end].length - 1 > column) cellWidth = Math.max(cellWidth, width(lines[end++][column]) + padding)
      for (let i = start; i < end; i++) lines[i][column] += ' '.repeat(cellWidth - width(lines[i][column]))
      format(column + 1, start, end)
      start = end
    }
  }
  format(0, 0, lines.length)
  return lines.map((cells) => cells.join('')).join('\n')
}

/**
 * A `table` format (the source as normalizeFormat returns it): a header row, then one row per
 * record, in aligned columns. As in Podman, the header is the template executed on the column
 * titles, so `{{.ID}}` becomes headers.ID or "ID", and `{{.CreatedSince}}` "CREATED SINCE".
 * Podman's tabwriter uses minWidth 12; tspod's default is 0.
 */
export function renderTable(rows: Record<string, unknown>[], source: string, headers: Record<string, string>, {minWidth = 0}: {minWidth?: number} = {}): string {
  const template = compileTemplate(source)
  let header: string
  try {
    header = template.render(new HeaderRow((names) => columnTitle(names, headers)))
  } catch (err) {
    throw new UsageError(`failed to write report column headers: ${(err as Error).message}`)
  }
  return alignColumns(header + rows.map((row) => template.render(row)).join(''), {minWidth})
}
