import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {compactSize, humanDuration} from '../../cli/units'
import {DiskUsage, UsageError} from '../../engine'

const TABLE = 'table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}'
const HEADERS = {Type: 'TYPE', Total: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE'}

const IMAGES_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ImageID}}\t{{.Created}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}'
const IMAGES_HEADERS = {Repository: 'REPOSITORY', Tag: 'TAG', ImageID: 'IMAGE ID', Created: 'CREATED', Size: 'SIZE', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE', Containers: 'CONTAINERS'}
const CONTAINERS_TABLE = 'table {{.ContainerID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.Created}}\t{{.Status}}\t{{.Names}}'
const CONTAINERS_HEADERS = {ContainerID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', LocalVolumes: 'LOCAL VOLUMES', Size: 'SIZE', Created: 'CREATED', Status: 'STATUS', Names: 'NAMES'}
const VOLUMES_TABLE = 'table {{.VolumeName}}\t{{.Links}}\t{{.Size}}'
const VOLUMES_HEADERS = {VolumeName: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE'}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((100 * part) / whole)
}

/** One line per type, as `podman system df`: shared layers count once. */
function summaryRows(usage: DiskUsage) {
  const containersSize = usage.containers.reduce((sum, c) => sum + c.size, 0)
  const stoppedSize = usage.containers.filter((c) => !c.running).reduce((sum, c) => sum + c.size, 0)
  const volumesSize = usage.volumes.reduce((sum, v) => sum + v.size, 0)
  const unusedSize = usage.volumes.filter((v) => v.links === 0).reduce((sum, v) => sum + v.size, 0)
  const records = [
    {Type: 'Images', Total: usage.images.length, Active: usage.images.filter((i) => i.containers > 0).length, RawSize: usage.layersSize, RawReclaimable: usage.layersSize - usage.layersInUseSize},
    {Type: 'Containers', Total: usage.containers.length, Active: usage.containers.filter((c) => c.running).length, RawSize: containersSize, RawReclaimable: stoppedSize},
    {Type: 'Local Volumes', Total: usage.volumes.length, Active: usage.volumes.filter((v) => v.links > 0).length, RawSize: volumesSize, RawReclaimable: unusedSize},
  ]
  return records.map((r) => ({...r, Size: compactSize(r.RawSize), Reclaimable: `${compactSize(r.RawReclaimable)} (${percent(r.RawReclaimable, r.RawSize)}%)`}))
}

/** `df -v`: Podman's three tables, each aligned on its own, one row per image name. */
function verbose(usage: DiskUsage, now = Date.now()): string {
  const images = usage.images.flatMap((image) =>
    (image.names.length > 0 ? image.names : ['<none>:<none>']).map((name) => {
      const i = name.lastIndexOf(':')
      return {
        Repository: name.slice(0, i),
        Tag: name.slice(i + 1),
        ImageID: image.id.slice(0, 12),
        Created: humanDuration(now - Date.parse(image.created)),
        Size: compactSize(image.size),
        SharedSize: compactSize(image.sharedSize),
        UniqueSize: compactSize(image.size - image.sharedSize),
        Containers: image.containers,
      }
    }),
  )
  const containers = usage.containers.map((c) => ({
    ContainerID: c.id.slice(0, 12),
    Image: c.imageId.slice(0, 12),
    Command: c.command.join(' '),
    LocalVolumes: c.volumes,
    Size: compactSize(c.size),
    Created: humanDuration(now - Date.parse(c.created)),
    Status: c.status,
    Names: c.name,
  }))
  const volumes = usage.volumes.map((v) => ({VolumeName: v.name, Links: v.links, Size: compactSize(v.size)}))
  return [
    'Images space usage:\n\n',
    renderList(images, images, undefined, {table: IMAGES_TABLE, headers: IMAGES_HEADERS}),
    '\nContainers space usage:\n\n',
    renderList(containers, containers, undefined, {table: CONTAINERS_TABLE, headers: CONTAINERS_HEADERS}),
    '\nLocal Volumes space usage:\n\n',
    renderList(volumes, volumes, undefined, {table: VOLUMES_TABLE, headers: VOLUMES_HEADERS}),
  ].join('')
}

export default class SystemDf extends TspodCommand {
  static summary = "Show tspod's disk usage"
  static flags = {
    format: Flags.string({description: 'Pretty-print images using a Go template'}),
    verbose: Flags.boolean({char: 'v', description: 'Show detailed information on disk usage'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemDf)
    if (flags.verbose && flags.format !== undefined) throw new UsageError('cannot combine --format and --verbose flags')
    const usage = await this.engine(flags).diskUsage()
    if (flags.verbose) {
      process.stdout.write(verbose(usage))
      return
    }
    const rows = summaryRows(usage)
    process.stdout.write(renderList(rows, rows, flags.format, {table: TABLE, headers: HEADERS}))
  }
}
