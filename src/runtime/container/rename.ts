// `rename`: the name is storage's (unique) and is part of the container's config; /etc/hosts
// keeps the old name until the container is recreated, as in Podman.
import {UsageError} from '../../errors'
import type {Store} from '../../storage/store/store'
import {Container} from './config'
import {NAME_PATTERN} from '../../specgen/parse'
import {ContainerRecords} from './records'

export function renameContainer(store: Store, records: ContainerRecords, c: Container, name: string): void {
  if (!NAME_PATTERN.test(name)) throw new UsageError(`names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument`)
  if (name === c.config.name) return
  const rename = store.database.transaction(() => {
    store.containers.rename(c.config.id, name)
    records.replaceConfig({...c.config, name})
  })
  rename.immediate()
}
