// `--rm`: a container that ends (or fails to start) is removed, for `run`, `run -d` and `start -a`.
import type {Container} from '../runtime/container/config'
import type {ContainerRecords} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import type {Store} from '../storage/store/store'

/** Remove `container` if it was created with --rm and is still there. */
export async function removeIfAutoRemove(store: Store, records: ContainerRecords, container: Container): Promise<void> {
  const current = records.get(container.config.id)
  if (current && container.config.autoRemove) await removeContainer(store, records, current, {force: true})
}
