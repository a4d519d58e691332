import {Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {renderList} from '../../cli/render'
import {stringSliceValues} from '../../cli/string-slice-flag'

const TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'
const HEADERS = {ID: 'CONTAINER ID', Id: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedHuman: 'CREATED', CreatedAt: 'CREATED AT', Status: 'STATUS', State: 'STATE', Ports: 'PORTS', Names: 'NAMES', ExitCode: 'EXIT CODE', Pid: 'PID', Pod: 'POD ID', PodName: 'PODNAME'}

export default class Ps extends ContainerCommand {
  static summary = 'List containers'
  static aliases = ['ps', 'container:list', 'container:ps']
  // Podman has `container list` (alias ls) and `container ps`, and its help lists both
  static listedAs = ['list', 'ps']
  static flags = {
    all: Flags.boolean({char: 'a', description: 'Show all the containers, default is only running containers'}),
    quiet: Flags.boolean({char: 'q', description: 'Print the numeric IDs of the containers only'}),
    'no-trunc': Flags.boolean({description: 'Display the extended information'}),
    noheading: Flags.boolean({char: 'n', description: 'Do not print headers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container tspod is aware of'}),
    last: Flags.integer({description: 'Print the n last created containers (all states)'}),
    format: Flags.string({description: 'Pretty-print containers to JSON or using a Go template'}),
    external: Flags.boolean({description: 'Show containers in storage not controlled by tspod'}),
    pod: Flags.boolean({char: 'p', description: 'Print the ID and name of the pod the containers are associated with'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    sort: Flags.string({options: ['command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status'], description: 'Sort output by: command, created, id, image, names, runningfor, size, status'}),
  }

  static lists = 'containers'

  async run(): Promise<void> {
    const {flags} = await this.parse(Ps)
    const listing = await this.engine(flags).listContainers({all: flags.all, latest: flags.latest, last: flags.last, filters: stringSliceValues(flags.filter, '-f, --filter', this.commandPath()), sort: flags.sort, external: flags.external, podNames: flags.pod})
    const summaries = listing.map((l) => l.summary)
    const id = (full: string) => (flags['no-trunc'] ? full : full.slice(0, 12))
    if (flags.quiet) {
      if (summaries.length > 0) this.print(summaries.map((s) => id(s.Id)).join('\n'))
      return
    }
    const rows = summaries.map((s, i) => ({
      ...s,
      ID: id(s.Id),
      Command: flags['no-trunc'] ? s.Command.join(' ') : truncate(s.Command.join(' '), 17),
      CreatedHuman: s.CreatedAt,
      Names: s.Names.join(','),
      Ports: listing[i].ports.join(', '),
      Image: s.Image,
      Pod: id(s.Pod),
    }))
    const table = flags.pod ? `${TABLE}\t{{.Pod}}\t{{.PodName}}` : TABLE
    const out = renderList(summaries, rows, flags.format, {table, headers: HEADERS}, flags.noheading)
    if (out) process.stdout.write(out)
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text
}
