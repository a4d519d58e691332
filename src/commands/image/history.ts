import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {humanSize, timeAgo} from '../../cli/units'

const TABLE = 'table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}'
const HEADERS = {ID: 'ID', Created: 'CREATED', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT'}

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
    const shortId = (id: string) => (id === '<missing>' || flags['no-trunc'] ? id : id.slice(0, 12))
    if (flags.quiet) return this.print(history.map((h) => shortId(h.id)).join('\n'))
    const rows = history.map((h) => ({
      ID: shortId(h.id),
      Created: h.created ? (flags.human ? timeAgo(new Date(h.created)) : h.created) : '',
      CreatedBy: flags['no-trunc'] || h.createdBy.length <= 45 ? h.createdBy : `${h.createdBy.slice(0, 42)}...`,
      Size: flags.human ? humanSize(h.size) : String(h.size),
      Comment: h.comment,
      Tags: h.tags,
    }))
    process.stdout.write(renderList(history, rows, flags.format, {table: TABLE, headers: HEADERS}))
  }
}
