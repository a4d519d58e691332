// A /dev/shm that containers sharing an IPC namespace share too, as Podman's: a pod container with
// an IPC namespace of its own (the infra container, whose namespace the pod's members join) gets a
// dir of its userdata as /dev/shm; a container joining its IPC namespace (--ipc container:X, a
// pod's member) binds the same dir. tspod has no long-lived mount namespace to keep a tmpfs in
// between containers' starts, so the dir is on the store's disk.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {Store} from '../../storage/store/store'
import type {ContainerSpec} from '../../specgen/container-spec'
import type {OciMount} from '../oci-spec'
import {containerDirs} from '../container/paths'

const SHM_OPTIONS = ['rbind', 'nosuid', 'noexec', 'nodev']

function shmDir(store: Store, id: string): string {
  return path.join(containerDirs(store, id).userdata, 'shm')
}

/** The /dev/shm bind of a container `create` makes (its userdata dir already made), or undefined for the default tmpfs. */
export function sharedShmMount(store: Store, id: string, request: ContainerSpec): OciMount | undefined {
  if (request.mounts.some((m) => m.destination === '/dev/shm')) return undefined
  const ipc = request.ipc
  if (ipc?.kind === 'container') {
    const joined = store.containers.get(ipc.container) ?? store.containers.list().find((c) => c.name === ipc.container || c.id.startsWith(ipc.container))
    if (!joined) return undefined
    const dir = shmDir(store, joined.id)
    return fs.existsSync(dir) ? {destination: '/dev/shm', type: 'bind', source: dir, options: SHM_OPTIONS} : undefined
  }
  if (request.pod === undefined || (ipc !== undefined && ipc.kind !== 'private' && ipc.kind !== 'shareable')) return undefined
  const dir = shmDir(store, id)
  fs.mkdirSync(dir, {recursive: true})
  fs.chmodSync(dir, 0o1777)
  return {destination: '/dev/shm', type: 'bind', source: dir, options: SHM_OPTIONS}
}
