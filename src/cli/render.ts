// --format for single records: `json`, or a Go template such as '{{.Host.Kernel}}'.
import {compileTemplate, isJsonFormat, normalizeFormat, renderTable} from './format/go-template'

/** Podman indents its JSON with four spaces. */
export function toJson(data: unknown): string {
  return JSON.stringify(data, null, 4) + '\n'
}

export function renderRecord(data: unknown, format: string): string {
  if (isJsonFormat(format)) return toJson(data)
  const {source} = normalizeFormat(format)
  return compileTemplate(source).render(data)
}

/** Podman's default output for `info`-like records; sortKeys: in key order, as Podman prints `info`. */
export function toYaml(data: unknown, options: {sortKeys?: boolean} = {}): string {
  const {stringify} = require('yaml') as typeof import('yaml')
  return stringify(data, {sortMapEntries: options.sortKeys === true})
}

export interface ListFormat {
  /** Podman's default table for the command, e.g. 'table {{.Repository}}\t{{.Tag}}' */
  table: string
  /** column titles by field name: {Repository: 'REPOSITORY'} */
  headers: Record<string, string>
}

/**
 * Lists as Podman prints them: the default table, `--format json` (the records), a Go template
 * per row, or a `table ...` template with a header line. `json` gets the records, the other
 * formats the rows (which add Podman's computed fields, such as CreatedSince).
 */
export function renderList(records: unknown[], rows: Record<string, unknown>[], format: string | undefined, list: ListFormat, noHeading = false): string {
  if (format !== undefined && isJsonFormat(format)) return toJson(records)
  const {table, source} = normalizeFormat(format ?? list.table)
  if (!table) {
    const template = compileTemplate(source)
    return rows.map((row) => template.render(row)).join('')
  }
  // containers/common's report writer: tabwriter with minwidth 12, padding 2
  const rendered = renderTable(rows, source, list.headers, {minWidth: 12})
  return noHeading ? rendered.split('\n').slice(1).join('\n') : rendered
}

/** `inspect` output: a JSON array of the records, or each rendered through a Go template. */
export function renderInspect(records: unknown[], format: string | undefined): string {
  if (format && !isJsonFormat(format)) return records.map((r) => renderRecord(r, format)).join('')
  return toJson(records)
}
