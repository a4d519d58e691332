import {Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {renderList} from '../../cli/render'
import {humanSize} from '../../cli/units'

const TABLE = 'table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}'
const HEADERS = {Type: 'TYPE', Total: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE'}

export default class SystemDf extends TspodCommand {
  static summary = "Show tspod's disk usage"
  static flags = {format: Flags.string({description: 'Pretty-print images using a Go template or json'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemDf)
    const store = await this.openStore(flags)
    const images = store.images.list()
    // Shared layers count once: the store's size is the sum of its complete layers.
    const size = store.layers.list().filter((l) => !l.incomplete).reduce((sum, l) => sum + l.diffSize, 0)
    // Containers and volumes arrive with the runtime; until then there are none to count.
    const records = [
      {Type: 'Images', Total: images.length, Active: 0, RawSize: size, RawReclaimable: size},
      {Type: 'Containers', Total: 0, Active: 0, RawSize: 0, RawReclaimable: 0},
      {Type: 'Local Volumes', Total: 0, Active: 0, RawSize: 0, RawReclaimable: 0},
    ]
    const rows = records.map((r) => ({
      ...r,
      Size: humanSize(r.RawSize),
      Reclaimable: `${humanSize(r.RawReclaimable)} (${r.RawSize === 0 ? 0 : Math.round((100 * r.RawReclaimable) / r.RawSize)}%)`,
    }))
    process.stdout.write(renderList(rows, rows, flags.format, {table: TABLE, headers: HEADERS}))
  }
}
