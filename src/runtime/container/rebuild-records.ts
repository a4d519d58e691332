// The runtime's share of a DB rebuild (storage/store/rebuild.ts): each restored container's
// config and state from containers/<id>/runtime-config.json and runtime-state.json.
import type {Finding} from '../../storage/store/check/finding'
import {readRecord, writeRecord} from '../../storage/store/record-files'
import type {RebuildPart} from '../../storage/store/rebuild'
import type {ContainerConfig, ContainerState} from './config'
import {isLegacyConfig, upgradeConfig} from './upgrade-config'

export const containerRecordsPart: RebuildPart = {
  restore(db, layout, restored, remove) {
    const findings: Finding[] = []
    for (const id of restored.containers) {
      let config: ContainerConfig | undefined
      let state: ContainerState | undefined
      let problem: string | undefined
      try {
        const stored = readRecord<{config: ContainerConfig}>(layout.containerRuntimeRecord(id, 'config'))?.config
        config = stored && upgradeConfig(stored)
        // a record file of the form before the typed ContainerSpec is rewritten in today's
        if (stored && config && isLegacyConfig(stored)) writeRecord(layout.containerRuntimeRecord(id, 'config'), {config})
        state = readRecord<{state: ContainerState}>(layout.containerRuntimeRecord(id, 'state'))?.state
        if (!config) problem = 'it has no record file runtime-config.json'
        else if (!state) problem = 'it has no record file runtime-state.json'
      } catch (err) {
        problem = (err as Error).message
      }
      if (problem || !config || !state) {
        // without its config nothing can start or show it: it goes
        db.prepare('DELETE FROM containers WHERE id = ?').run(id)
        restored.containers.delete(id)
        remove(layout.containerDir(id))
        findings.push({kind: 'rebuild', subject: `container ${id.slice(0, 12)}`, message: `not restored: ${problem}; removed ${layout.containerDir(id)}`, repaired: true})
        continue
      }
      db.prepare('INSERT INTO container_configs (id, json) VALUES (?, ?)').run(id, JSON.stringify(config))
      db.prepare('INSERT INTO container_states (id, status, json) VALUES (?, ?, ?)').run(id, state.status, JSON.stringify(state))
    }
    return findings
  },
}
