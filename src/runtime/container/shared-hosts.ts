// A container that joins another's network (--network container:X, a pod's infra) uses that
// container's /etc/hosts, as Podman does: it adds its own names on 127.0.0.1 there at each start
// and takes them out when it ends. The file keeps its inode: it is bind-mounted into the others.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {Store} from '../../storage/store/store'
import {HostsEntry, withHostsEntries, withoutHostsEntries} from '../network/hosts-entries'
import type {Container} from './config'
import type {ContainerRecords} from './records'
import {containerDirs} from './paths'

export interface SharedHosts {
  /** the container, its /etc/hosts mount on the shared file */
  container: Container
  /** takes the container's entry out of the shared file */
  release(): void
}

/** Its hostname: the one of the container whose UTS namespace it joins (a pod's), else its own. */
function hostnameOf(records: ContainerRecords, container: Container): string {
  const uts = container.config.containerSpec.uts
  const donor = uts?.kind === 'container' ? records.get(uts.container) : undefined
  const owner = donor ?? container
  return owner.config.spec.hostname ?? owner.config.id.slice(0, 12)
}

function rewriteInPlace(file: string, edit: (text: string) => string): void {
  const fd = fs.openSync(file, 'r+')
  try {
    const next = edit(fs.readFileSync(fd, 'utf8'))
    fs.ftruncateSync(fd, 0)
    fs.writeSync(fd, next, 0)
  } finally {
    fs.closeSync(fd)
  }
}

/** The donor's hosts file, when `container` joins a network container that has one; else undefined. */
export function shareHostsFile(store: Store, records: ContainerRecords, container: Container): SharedHosts | undefined {
  const network = container.config.containerSpec.network
  if (network.kind !== 'container' || container.config.containerSpec.noHosts) return undefined
  const file = path.join(containerDirs(store, network.container).userdata, 'hosts')
  if (!fs.existsSync(file)) return undefined
  const entry: HostsEntry[] = [{ip: '127.0.0.1', names: [hostnameOf(records, container), container.config.name]}]
  rewriteInPlace(file, (text) => withHostsEntries(text, entry))
  const mounts = (container.config.spec.mounts ?? []).map((m) => (m.destination === '/etc/hosts' ? {...m, source: file} : m))
  return {
    container: {...container, config: {...container.config, spec: {...container.config.spec, mounts}}},
    release: () => {
      try {
        rewriteInPlace(file, (text) => withoutHostsEntries(text, entry))
      } catch {
        // the donor was removed meanwhile: nothing to take out
      }
    },
  }
}
