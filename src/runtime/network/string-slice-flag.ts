// The values of a Podman "string slice" flag (pflag StringSlice, e.g. -p/--publish): each value
// given is read as one CSV record, so `-p 80,81` is two values and `-p '"8,0"'` one. Quoting
// errors read as pflag reports them.
import {UsageError} from '../../errors'
import {goQuote} from './go-text'

class CsvError extends Error {
  constructor(startLine: number, line: number, column: number, reason: string) {
    const where = `parse error on line ${line}, column ${column}`
    super(startLine === line ? `${where}: ${reason}` : `record on line ${startLine}; ${where}: ${reason}`)
  }
}

const BARE_QUOTE = 'bare " in non-quoted-field'
const BAD_QUOTE = 'extraneous or missing " in quoted-field'

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Lines with their "\n" (a "\r\n" ending read as "\n"), as Go's csv.Reader reads them. */
function linesOf(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? []
  return lines.map((l) => l.replace(/\r\n$/, '\n'))
}

/** The first record of `text` as Go's encoding/csv reads it (comma-separated, strict quotes). */
function readCsvRecord(text: string): string[] {
  const lines = linesOf(text)
  let index = 0
  while (index < lines.length && lines[index] === '\n') index++ // csv skips empty lines
  if (index >= lines.length) throw new Error('EOF')
  const startLine = index + 1
  let lineNo = startLine
  let line = lines[index]
  let col = 1
  const fields: string[] = []
  for (;;) {
    if (line === '' || line[0] !== '"') {
      const comma = line.indexOf(',')
      const field = comma >= 0 ? line.slice(0, comma) : line.replace(/\n$/, '')
      const quote = field.indexOf('"')
      if (quote >= 0) throw new CsvError(startLine, lineNo, col + byteLength(field.slice(0, quote)), BARE_QUOTE)
      fields.push(field)
      if (comma < 0) return fields
      col += byteLength(line.slice(0, comma + 1))
      line = line.slice(comma + 1)
      continue
    }
    line = line.slice(1)
    col += 1
    let value = ''
    for (;;) {
      const quote = line.indexOf('"')
      if (quote >= 0) {
        value += line.slice(0, quote)
        col += byteLength(line.slice(0, quote + 1))
        line = line.slice(quote + 1)
        if (line[0] === '"') {
          value += '"'
          line = line.slice(1)
          col += 1
        } else if (line[0] === ',') {
          line = line.slice(1)
          col += 1
          fields.push(value)
          break
        } else if (line === '' || line === '\n') {
          fields.push(value)
          return fields
        } else {
          throw new CsvError(startLine, lineNo, col - 1, BAD_QUOTE)
        }
      } else if (line !== '') {
        value += line
        col += byteLength(line)
        index++
        line = lines[index] ?? ''
        if (line !== '') {
          lineNo++
          col = 1
        }
      } else {
        throw new CsvError(startLine, lineNo, col, BAD_QUOTE)
      }
    }
  }
}

/**
 * The values one occurrence of a string-slice flag stands for (an empty value stands for none).
 * `flag` names it as pflag does in errors, e.g. "-p, --publish".
 */
export function splitStringSliceFlag(value: string, flag: string): string[] {
  if (value === '') return []
  try {
    return readCsvRecord(value)
  } catch (err) {
    throw new UsageError(`invalid argument ${goQuote(value)} for ${goQuote(flag)} flag: ${(err as Error).message}`)
  }
}
