import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {stringSliceValues} from '../../cli/string-slice-flag'
import {timeAgo} from '../../cli/units'

const HEADERS = {ID: 'POD ID', Name: 'NAME', Status: 'STATUS', Created: 'CREATED', InfraID: 'INFRA ID', NumberOfContainers: '# OF CONTAINERS', ContainerNames: 'NAMES', ContainerIds: 'IDS', ContainerStatuses: 'STATUS', Labels: 'LABELS'}

export default class PodPs extends TspodCommand {
  static summary = 'List pods'
  static aliases = ['pod:ls', 'pod:list']
  static flags = {
    'ctr-ids': Flags.boolean({description: 'Display the container UUIDs. If no-trunc is not set they will be truncated'}),
    'ctr-names': Flags.boolean({description: 'Display the container names'}),
    'ctr-status': Flags.boolean({description: 'Display the container status'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    format: Flags.string({description: 'Pretty-print pods to JSON or using a Go template'}),
    noheading: Flags.boolean({char: 'n', description: 'Do not print headers'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate pod and container IDs'}),
    quiet: Flags.boolean({char: 'q', description: 'Print the numeric IDs of the pods only'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(PodPs)
    const pods = (await this.engine(flags).pods()).list(stringSliceValues(flags.filter, '-f, --filter', this.commandPath()))
    const id = (full: string) => (flags['no-trunc'] ? full : full.slice(0, 12))
    if (flags.quiet) {
      if (pods.length > 0) this.print(pods.map((p) => id(p.Id)).join('\n'))
      return
    }
    const rows = pods.map((p) => ({
      ...p,
      ID: id(p.Id),
      Created: timeAgo(new Date(p.Created)),
      InfraID: id(p.InfraId),
      NumberOfContainers: p.Containers.length,
      ContainerNames: p.Containers.map((c) => c.Names).join(','),
      ContainerIds: p.Containers.map((c) => id(c.Id)).join(','),
      ContainerStatuses: p.Containers.map((c) => c.Status).join(','),
    }))
    const columns = ['{{.ID}}', '{{.Name}}', '{{.Status}}', '{{.Created}}', '{{.InfraID}}']
    if (flags['ctr-names']) columns.push('{{.ContainerNames}}')
    if (flags['ctr-ids']) columns.push('{{.ContainerIds}}')
    if (flags['ctr-status']) columns.push('{{.ContainerStatuses}}')
    if (!flags['ctr-names'] && !flags['ctr-ids'] && !flags['ctr-status']) columns.push('{{.NumberOfContainers}}')
    const out = renderList(pods, rows, flags.format, {table: `table ${columns.join('\t')}`, headers: HEADERS}, flags.noheading)
    if (out) process.stdout.write(out)
  }
}
