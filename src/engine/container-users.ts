// `rmi -f` and `volume rm -f` remove the containers that use what they remove first (running
// ones stopped), as Podman does.
import {removalOrder} from '../runtime/container/dependencies'
import {ContainerRecords} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import type {RegistriesConfig} from '../storage/image/config/registries-conf'
import {resolveLocalImage} from '../storage/store/images/lookup'
import type {Store} from '../storage/store/store'
import {PodEngine} from './pods'

/**
 * rmi -f: the containers of the named images (or of every image) go first, with the containers
 * that share their namespaces; a pod's infra container goes with its whole pod, as in Podman.
 */
export async function removeImageUsers(store: Store, names: string[], all: boolean, registries: RegistriesConfig): Promise<void> {
  const ids = new Set(all ? store.images.list().map((i) => i.id) : names.map((n) => resolveLocalImage(store, n, registries)?.image.id))
  const records = ContainerRecords.open(store)
  const pods = new PodEngine(store, records, registries)
  for (const c of records.list()) {
    if (!ids.has(c.config.imageId) || !records.get(c.config.id)) continue
    const pod = c.config.containerSpec.pod === undefined ? undefined : pods.pods.get(c.config.containerSpec.pod)
    if (pod?.infraId === c.config.id) {
      await pods.removePod(pod, {force: true})
      continue
    }
    for (const d of removalOrder(records, c)) await removeContainer(store, records, d, {force: true})
  }
}

/** volume rm -f: a remover for the containers a volume's removal names. */
export function volumeUserRemover(store: Store, timeout: number | undefined): (ids: string[]) => Promise<void> {
  return async (ids) => {
    const records = ContainerRecords.open(store)
    for (const id of ids) {
      const container = records.get(id)
      if (container) await removeContainer(store, records, container, {force: true, timeout})
      else store.containers.delete(id) // a storage row without runtime records
    }
  }
}
