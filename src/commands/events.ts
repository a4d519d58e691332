import {Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {renderRecord} from '../cli/render'
import {eventJson, humanReadable, type PodmanEvent} from '../engine'
import {goTimeString} from '../engine'

/** containers/common report.IsJSON */
const JSON_FORMAT = /^\s*(json|\{\{\s*json\s*(\.)?\s*\}\})\s*$/

/** The event as Go's struct shows it to a template: every field, empty ones zero, the time as Go prints it. */
function templateFields(e: PodmanEvent): Record<string, unknown> {
  return {
    ContainerExitCode: e.ContainerExitCode ?? 0,
    ID: e.ID ?? '',
    Image: e.Image ?? '',
    Name: e.Name ?? '',
    Network: e.network ?? '',
    Status: e.Status,
    Time: goTimeString(e.Time),
    Type: e.Type,
    HealthStatus: e.health_status ?? '',
    PodID: e.PodID ?? '',
    Attributes: e.Attributes ?? {},
  }
}

export default class SystemEvents extends TspodCommand {
  static summary = 'Show tspod events'
  static description =
    'Monitor events. By default, streaming mode is used, printing new events as they occur. Previous events can be listed via --since and --until. ' +
    'Events are kept in a file (containers.conf events_logger "file"; tspod has no journald backend).'
  static examples = ['<%= config.bin %> events', '<%= config.bin %> events --filter event=create', '<%= config.bin %> events --format {{.Image}}', '<%= config.bin %> events --since 1h30s']
  static flags = {
    filter: Flags.string({char: 'f', multiple: true, description: 'filter output'}),
    format: Flags.string({description: 'format the output using a Go template'}),
    stream: Flags.boolean({default: true, allowNo: true, description: 'stream new events; for testing only', hidden: true}),
    since: Flags.string({description: 'show all events created since timestamp'}),
    'no-trunc': Flags.boolean({default: true, allowNo: true, description: 'do not truncate the output'}),
    until: Flags.string({description: 'show all events until timestamp'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemEvents)
    const format = flags.format
    const json = format !== undefined && JSON_FORMAT.test(format)
    const line = (e: PodmanEvent): string => {
      if (json) return `${eventJson(e)}\n`
      // the template sees Go's field names; the time as Go prints a time.Time
      if (format !== undefined) return renderRecord(templateFields(e), format)
      return `${humanReadable(e, !flags['no-trunc'])}\n`
    }
    await this.engine(flags).readEvents({filters: flags.filter ?? [], since: flags.since, until: flags.until, stream: flags.stream}, (e) => process.stdout.write(line(e)))
  }
}
