import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {humanSize} from '../../cli/units'
import {containerDirs} from '../../runtime/container/paths'
import {ContainerRecords} from '../../runtime/container/records'
import {isRunning} from '../../runtime/container/report'
import {VolumeStore} from '../../runtime/volume'
import {diskUsage} from '../../storage/disk-usage'

const TABLE = 'table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}'
const HEADERS = {Type: 'TYPE', Total: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE'}

export default class SystemDf extends TspodCommand {
  static summary = "Show tspod's disk usage"
  static flags = {format: Flags.string({description: 'Pretty-print images using a Go template or json'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemDf)
    const store = await this.openStore(flags)
    const images = store.images.list()
    const inUse = store.imagesInUse()
    // Shared layers count once: the store's size is the sum of its complete layers; what images
    // in use hold is not reclaimable.
    const layers = store.layers.list().filter((l) => !l.incomplete)
    const size = layers.reduce((sum, l) => sum + l.diffSize, 0)
    const held = new Set(images.filter((i) => inUse.has(i.id)).flatMap((i) => i.layers))
    const heldSize = layers.filter((l) => held.has(l.id)).reduce((sum, l) => sum + l.diffSize, 0)

    const containers = ContainerRecords.open(store).list().map((c) => ({running: isRunning(c.state), size: diskUsage(containerDirs(store, c.config.id).upper)}))
    const containersSize = containers.reduce((sum, c) => sum + c.size, 0)
    const stoppedSize = containers.filter((c) => !c.running).reduce((sum, c) => sum + c.size, 0)

    const volumeStore = VolumeStore.open(store)
    const volumes = volumeStore.list().map((v) => ({used: volumeStore.users(v.name).length > 0, size: diskUsage(volumeStore.mountpoint(v.name))}))
    const volumesSize = volumes.reduce((sum, v) => sum + v.size, 0)
    const unusedSize = volumes.filter((v) => !v.used).reduce((sum, v) => sum + v.size, 0)

    const records = [
      {Type: 'Images', Total: images.length, Active: inUse.size, RawSize: size, RawReclaimable: size - heldSize},
      {Type: 'Containers', Total: containers.length, Active: containers.filter((c) => c.running).length, RawSize: containersSize, RawReclaimable: stoppedSize},
      {Type: 'Local Volumes', Total: volumes.length, Active: volumes.filter((v) => v.used).length, RawSize: volumesSize, RawReclaimable: unusedSize},
    ]
    const rows = records.map((r) => ({
      ...r,
      Size: humanSize(r.RawSize),
      Reclaimable: `${humanSize(r.RawReclaimable)} (${r.RawSize === 0 ? 0 : Math.round((100 * r.RawReclaimable) / r.RawSize)}%)`,
    }))
    process.stdout.write(renderList(rows, rows, flags.format, {table: TABLE, headers: HEADERS}))
  }
}
