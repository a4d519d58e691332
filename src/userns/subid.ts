// /etc/subuid and /etc/subgid, read the way shadow-utils reads them: `name-or-uid:start:count`
// lines, several ranges per user, comments and malformed lines skipped.
import * as fs from 'node:fs'

export const SUBUID_FILE = '/etc/subuid'
export const SUBGID_FILE = '/etc/subgid'

export interface SubIdRange {
  start: number
  count: number
}

export interface SubIdEntry extends SubIdRange {
  owner: string
  line: number
}

const DECIMAL = /^\d+$/

export function parseSubIdFile(text: string): SubIdEntry[] {
  const entries: SubIdEntry[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const fields = line.split(':')
    if (fields.length !== 3 || fields[0] === '' || !DECIMAL.test(fields[1]) || !DECIMAL.test(fields[2])) return
    const start = Number(fields[1])
    const count = Number(fields[2])
    if (count === 0 || start + count > 2 ** 32) return
    entries.push({owner: fields[0], start, count, line: index + 1})
  })
  return entries
}

/** The ranges of one user, matched by name or by numeric uid, sorted by start. */
export function rangesFor(entries: SubIdEntry[], user: {name: string; uid: number}): SubIdRange[] {
  return entries
    .filter((e) => e.owner === user.name || e.owner === String(user.uid))
    .map(({start, count}) => ({start, count}))
    .sort((a, b) => a.start - b.start)
}

export function readSubIdFile(file: string): SubIdEntry[] {
  try {
    return parseSubIdFile(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}
