import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {timeAgo, humanSize} from '../../cli/units'
import type {ImageSummary} from '../../engine'
import {UsageError} from '../../engine/errors'

const TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
const TABLE_DIGESTS = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
const HEADERS = {Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', Id: 'IMAGE ID', Digest: 'DIGEST', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', Size: 'SIZE', ReadOnly: 'R/O', Containers: 'CONTAINERS'}

/** One row per name (repository:tag), "<none>" for an image without names, as Podman prints them. */
function rows(summary: ImageSummary, noTrunc: boolean) {
  const names = summary.RepoTags.length > 0 ? summary.RepoTags : ['<none>:<none>']
  return names.map((name) => {
    const i = name.lastIndexOf(':')
    return {
      ...summary,
      ID: noTrunc ? `sha256:${summary.Id}` : summary.Id.slice(0, 12),
      Repository: name.slice(0, i),
      Tag: name.slice(i + 1),
      CreatedSince: timeAgo(new Date(summary.CreatedAt)),
      // Podman's template field is Go's time.Time String() of the Unix time (json keeps RFC 3339)
      CreatedAt: `${new Date(summary.Created * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`,
      Size: humanSize(summary.Size),
      History: (summary.History ?? []).join(', '),
      ReadOnly: false,
      Dangling: summary.RepoTags.length === 0,
    }
  })
}

const SORT_FIELDS = ['created', 'id', 'repository', 'size', 'tag'] as const
type SortField = (typeof SORT_FIELDS)[number]
type Row = ReturnType<typeof rows>[number]

/** Podman's orders: newest first by default, the others ascending. */
function compareBy(field: SortField): (a: Row, b: Row) => number {
  const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0)
  switch (field) {
    case 'id':
      return (a, b) => cmp(a.Id, b.Id)
    case 'repository':
      return (a, b) => cmp(a.Repository, b.Repository)
    case 'size':
      return (a, b) => cmp(a.Size, b.Size)
    case 'tag':
      return (a, b) => cmp(a.Tag, b.Tag)
    default:
      return (a, b) => cmp(b.Created, a.Created)
  }
}

export default class ImageLs extends TspodCommand {
  static summary = 'List images in local storage'
  static aliases = ['images', 'image:list']
  static listedAs = ['list']
  static args = {name: Args.string({description: 'only images with this repository name'})}
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Show all images (default hides intermediate images)'}),
    quiet: Flags.boolean({char: 'q', description: 'Display only image IDs'}),
    digests: Flags.boolean({description: 'Show digests'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate output'}),
    noheading: Flags.boolean({char: 'n', description: 'Do not print column headings'}),
    format: Flags.string({description: "Change the output format to JSON or a Go template"}),
    sort: Flags.string({default: 'created', description: `Sort by ${SORT_FIELDS.join(', ')}`}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions provided (dangling, reference, label, before, since, id)'}),
  }

  static lists = 'images'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageLs)
    const sort = flags.sort as SortField
    if (!SORT_FIELDS.includes(sort)) throw new UsageError(`"${flags.sort}" is not a valid field for sorting. Choose from: ${SORT_FIELDS.join(', ')}`)
    // as Podman's: intermediate images (a build's unnamed steps with images made from them) only with -a
    const filters = [...(flags.filter ?? []), ...(args.name ? [`reference=${args.name}`] : []), ...(flags.all ? [] : ['intermediate=false'])]
    const summaries = await this.engine(flags).listImages(filters)
    if (flags.quiet) {
      const ids = [...new Set(summaries.map((s) => (flags['no-trunc'] ? `sha256:${s.Id}` : s.Id.slice(0, 12))))]
      if (ids.length > 0) this.print(ids.join('\n'))
      return
    }
    const table = flags.digests ? TABLE_DIGESTS : TABLE
    const out = renderList(summaries, summaries.flatMap((s) => rows(s, flags['no-trunc'])).sort(compareBy(sort)), flags.format, {table, headers: HEADERS}, flags.noheading)
    if (out) process.stdout.write(out)
  }
}
