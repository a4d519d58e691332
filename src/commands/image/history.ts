import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {humanSize, timeAgo} from '../../cli/units'
import type {HistoryRow} from '../../engine'

const TABLE = 'table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}'
const HEADERS = {ID: 'ID', Created: 'CREATED', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT', CreatedSince: 'CREATED SINCE', CreatedAt: 'CREATED AT', Tags: 'TAGS'}
/** containers/common report.IsJSON */
const JSON_FORMAT = /^\s*(json|\{\{\s*json\s*(\.)?\s*\}\})\s*$/

/** Go's Time.Format(time.RFC3339): to the second, "Z" for UTC. */
function rfc3339(time: string | null): string {
  if (time === null) return '0001-01-01T00:00:00Z'
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Go's time.Time.String() of the time in UTC, to the second. */
function createdAt(time: string | null): string {
  return `${rfc3339(time).replace('T', ' ').replace(/Z$/, '')} +0000 UTC`
}

/** Podman's JSON: its history layer (Go's field names and omitempty) with Created added in RFC 3339. */
function jsonLayer(h: HistoryRow): Record<string, unknown> {
  const layer: Record<string, unknown> = {id: h.id, created: h.created ?? '0001-01-01T00:00:00Z'}
  if (h.createdBy) layer.CreatedBy = h.createdBy
  if (h.tags && h.tags.length > 0) layer.tags = h.tags
  layer.size = h.size
  if (h.comment) layer.comment = h.comment
  layer.Created = rfc3339(h.created)
  return layer
}

export default class ImageHistory extends TspodCommand {
  static summary = 'Show history of a specified image'
  static aliases = ['history']
  static args = {image: Args.string({required: true, description: 'image'})}
  static flags = {
    'no-trunc': Flags.boolean({description: 'Do not truncate the output'}),
    quiet: Flags.boolean({char: 'q', description: 'Display the numeric IDs only'}),
    human: Flags.boolean({char: 'H', description: 'Display sizes and dates in human readable format', default: true, allowNo: true}),
    format: Flags.string({description: 'Change the output to JSON or a Go template'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageHistory)
    const history = await this.engine(flags).imageHistory(args.image)
    if (flags.format !== undefined && JSON_FORMAT.test(flags.format)) {
      process.stdout.write(`${JSON.stringify(history.map(jsonLayer))}\n`)
      return
    }
    const noTrunc = flags['no-trunc']
    const shortId = (id: string) => (noTrunc || id.length < 12 ? id : id.slice(0, 12))
    if (flags.quiet) {
      process.stdout.write(history.map((h) => `${shortId(h.id)}\n`).join(''))
      return
    }
    const rows = history.map((h) => {
      const created = flags.human ? timeAgo(new Date(h.created ?? 0)) : rfc3339(h.created)
      return {
        ID: shortId(h.id),
        Created: created,
        CreatedSince: created,
        CreatedAt: createdAt(h.created),
        CreatedBy: noTrunc || h.createdBy.length <= 45 ? h.createdBy : `${h.createdBy.slice(0, 42)}...`,
        // as Podman's: always human-readable, whatever --human says
        Size: humanSize(h.size),
        Comment: h.comment,
        Tags: h.tags ?? [],
      }
    })
    process.stdout.write(renderList(history, rows, flags.format, {table: TABLE, headers: HEADERS}))
  }
}
