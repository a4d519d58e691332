// How `generate systemd` hands its units over: printed one after the other, or written to
// NAME.service in the working directory (their paths printed instead), or as a JSON object.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../engine'

/**
 * --files: each unit written to DIR/NAME.service; the map then holds the paths, each with a
 * newline when they are printed as text (Podman's).
 */
export function writeUnitFiles(units: Map<string, string>, dir: string, asText: boolean): Map<string, string> {
  const paths = new Map<string, string>()
  for (const [name, text] of units) {
    const file = path.join(dir, `${name}.service`)
    fs.writeFileSync(file, text)
    paths.set(name, asText ? `${file}\n` : file)
  }
  return paths
}

// containers/common's report.IsJSON: json, or a template of json alone
const JSON_FORMAT = /^\s*(json|\{\{\s*json\s*(\.)?\s*\}\})\s*$/

/** The text printed: the units (or paths) one after another, or with --format json an object by name. */
export function unitsOutput(units: Map<string, string>, format: string): string {
  if (format === '') return [...units.values()].join('')
  if (!JSON_FORMAT.test(format)) throw new UsageError(`unknown --format argument: ${format}`)
  return goJsonIndent(Object.fromEntries([...units].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))) + '\n'
}

/** Go's json.MarshalIndent(v, "", " "): keys sorted by the caller, HTML characters escaped. */
function goJsonIndent(value: Record<string, string>): string {
  return JSON.stringify(value, null, ' ').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
