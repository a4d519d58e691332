// Kubernetes YAML as Podman writes it (Go's yaml.v2 through JSON: keys sorted, sequences not
// indented under their key, YAML 1.1 quoting, no line folding) and multi-document input split.
import * as YAML from 'yaml'

import {UsageError} from '../errors'

/** One object as a YAML document. */
export function toYaml(value: unknown): string {
  return YAML.stringify(value, {sortMapEntries: true, indentSeq: false, version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false})
}

/** The documents of a (multi-document) YAML text, empty ones left out. */
export function parseDocuments(text: string): unknown[] {
  const docs = YAML.parseAllDocuments(text)
  const out: unknown[] = []
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new UsageError(`multi doc yaml could not be split: ${doc.errors[0].message.split('\n')[0]}`)
    const value: unknown = doc.toJS({maxAliasCount: 100})
    if (value !== null && value !== undefined) out.push(value)
  }
  return out
}
