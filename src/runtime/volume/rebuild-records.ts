// The volumes' share of a DB rebuild (storage/store/rebuild.ts): each volume from
// volumes/<name>/volume.json, and its users from the restored containers' configs.
import * as path from 'node:path'

import type {Finding} from '../../storage/store/check/finding'
import {readRecord, recordDirEntries} from '../../storage/store/record-files'
import type {RebuildPart} from '../../storage/store/rebuild'
import type {ContainerConfig} from '../container/config'
import {Volume, insertVolumeRow} from './volume-store'

export const volumeRecordsPart: RebuildPart = {
  restore(db, layout, restored) {
    const findings: Finding[] = []
    const volumes = new Set<string>()
    for (const name of recordDirEntries(layout.volumesDir)) {
      let volume: Volume | undefined
      let problem: string | undefined
      try {
        volume = readRecord<Volume>(layout.volumeRecord(name))
        if (!volume) problem = 'it has no record file volume.json'
        else if (volume.name !== name) problem = `its record names volume ${volume.name}`
      } catch (err) {
        problem = (err as Error).message
      }
      if (problem || !volume) {
        // its data may be the user's: kept, never removed by a rebuild
        findings.push({
          kind: 'rebuild',
          subject: `volume ${name}`,
          message: `not restored: ${problem}; its data is kept in ${path.join(layout.volumesDir, name)}`,
          repaired: false,
          error: problem,
        })
        continue
      }
      insertVolumeRow(db, volume)
      volumes.add(name)
    }
    const addUser = db.prepare('INSERT OR IGNORE INTO volume_users (volume, container_id) VALUES (?, ?)')
    for (const id of restored.containers) {
      const row = db.prepare('SELECT json FROM container_configs WHERE id = ?').get(id) as {json: string} | undefined
      const config = row && (JSON.parse(row.json) as ContainerConfig)
      for (const v of config?.volumes ?? []) {
        if (volumes.has(v.name)) addUser.run(v.name, id)
        else findings.push({kind: 'rebuild', subject: `container ${id.slice(0, 12)}`, message: `its volume ${v.name} was not restored`, repaired: false, error: 'volume missing'})
      }
    }
    return findings
  },
}
