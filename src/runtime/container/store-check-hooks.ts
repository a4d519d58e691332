// What `system check --repair` needs of the runtime (src/storage/store/check/ cannot import it).
import type {RuntimeHooks} from '../../storage/store/check/check'
import {ContainerRecords} from './records'
import {removeContainer} from './remove'

/** The runtime's part of the repairs: containers removed as `rm -f` does, and who runs. */
export const storeCheckRuntime: RuntimeHooks = {
  async removeContainers(store, ids) {
    const records = ContainerRecords.open(store)
    for (const id of ids) {
      const container = records.get(id)
      if (container) await removeContainer(store, records, container, {force: true})
      else store.containers.delete(id)
    }
  },
  containerIsRunning: (store, id) => ['running', 'stopping', 'paused'].includes(ContainerRecords.open(store).get(id)?.state.status ?? ''),
}
