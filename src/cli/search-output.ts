// `search`'s output as Podman 4.3.1 writes it: NAME and DESCRIPTION (with --compatible also
// STARS, OFFICIAL, AUTOMATED), NAME and TAG for --list-tags, JSON, or the user's Go template.
import type {SearchResult} from '../engine'
import {renderList, toJson} from './render'
import {isJsonFormat} from './format/go-template'

const HEADERS = {Index: 'INDEX', Name: 'NAME', Description: 'DESCRIPTION', Stars: 'STARS', Official: 'OFFICIAL', Automated: 'AUTOMATED', Tag: 'TAG'}
const DESCRIPTION_WIDTH = 44

export interface SearchOutputOptions {
  /** --format, when given */
  format?: string
  noTrunc?: boolean
  listTags?: boolean
  compatible?: boolean
}

/** Go's strings.TrimSpace(d[:44]) + "...": a long description cut, unless it is kept whole. */
function description(text: string, keep: boolean): string {
  const oneLine = text.replace(/\n/g, ' ')
  if (keep || Buffer.byteLength(oneLine) <= DESCRIPTION_WIDTH) return oneLine
  return `${Buffer.from(oneLine).subarray(0, DESCRIPTION_WIDTH).toString('utf8').trim()}...`
}

/** --list-tags --format json: one entry a repository with its tags. */
function tagLists(results: SearchResult[]): {Name: string; Tags: string[]}[] {
  const lists: {Name: string; Tags: string[]}[] = []
  for (const result of results) {
    const list = lists.find((l) => l.Name === result.Name)
    if (list) list.Tags.push(result.Tag)
    else lists.push({Name: result.Name, Tags: [result.Tag]})
  }
  return lists
}

export function searchOutput(results: SearchResult[], options: SearchOutputOptions): string {
  if (results.length === 0) return ''
  const json = options.format !== undefined && isJsonFormat(options.format)
  const rows = results.map((r) => ({...r, Description: description(r.Description, options.noTrunc === true || json)}))
  if (options.listTags) {
    if (json) return toJson(tagLists(rows))
    return renderList(rows, rows, undefined, {table: 'table {{.Name}}\t{{.Tag}}', headers: HEADERS})
  }
  if (json) return toJson(rows)
  const table = `table {{.Name}}\t{{.Description}}${options.compatible ? '\t{{.Stars}}\t{{.Official}}\t{{.Automated}}' : ''}`
  return renderList(rows, rows, options.format, {table, headers: HEADERS})
}
