// containers/storage's containers as tspod shows them (Podman's "external" containers): for
// `ps --external`, `container exists --external` and `diff`. Podman lists each with its first
// name ("unknown" without one), its image's first name ever given ("scratch" for a buildah
// container from no image), and "buildah" as its command when buildah made it, else "storage".
import {TspodError} from '../../errors'
import type {UserNamespaceMapping} from '../../userns/idmap'
import {RUNTIME_MADE_PATHS, type Change} from '../store/changes'
import {layerChangesAsMappedRoot} from '../store/changes-as-root'
import {findCsContainer, layerChain, type ContainersStorage} from './store'

export interface ExternalContainer {
  id: string
  name: string
  imageId: string
  /** the image's first name, as Podman shows it */
  image: string
  /** ISO time */
  created: string
  /** "buildah" for buildah's working containers, else "storage" */
  command: string
}

export async function listExternalContainers(storage: ContainersStorage): Promise<ExternalContainer[]> {
  const {containers, images} = await storage.snapshot()
  return containers.map((c) => {
    const buildah = storage.isBuildahContainer(c.id)
    const image = c.image ? images.find((i) => i.id === c.image) : undefined
    return {
      id: c.id,
      name: c.names?.[0] ?? 'unknown',
      imageId: c.image ?? '',
      image: image ? (image['names-history']?.[0] ?? image.names?.[0] ?? '') : !c.image && buildah ? 'scratch' : '',
      created: c.created ?? new Date(0).toISOString(),
      command: buildah ? 'buildah' : 'storage',
    }
  })
}

/** The container's full ID, or undefined when the store has no such container. */
export async function lookupExternalContainer(storage: ContainersStorage, nameOrId: string): Promise<string | undefined> {
  return findCsContainer((await storage.snapshot()).containers, nameOrId)?.id
}

/** Paths Podman leaves out of every diff (libpod's initInodes): the runtime's own, and /etc/mtab, which Podman links to /proc/mounts. */
const UNREPORTED_PATHS = new Set([...RUNTIME_MADE_PATHS, '/etc/mtab'])

/**
 * What the container changed over its image: its read-write layer over the layers below it, as
 * containers/storage's Changes reports them, less the paths Podman leaves out; undefined when
 * the store has no such container.
 */
export async function externalContainerChanges(storage: ContainersStorage, nameOrId: string, mapping: UserNamespaceMapping | undefined): Promise<Change[] | undefined> {
  if (!storage.exists()) return undefined
  return await storage.locked('shared', async ({containers, layers}) => {
    const container = findCsContainer(containers, nameOrId)
    if (!container) return undefined
    const [top, ...below] = layerChain(layers, container.layer)
    // only overlay keeps a layer's own changes apart: a vfs layer is a full tree, which would need a content comparison
    if (storage.location.driver !== 'overlay') throw new TspodError(`diff of a containers/storage container needs its overlay driver (this store uses ${storage.location.driver})`)
    const changes = await layerChangesAsMappedRoot(storage.layerFilesDir(top.id), below.map((l) => storage.layerFilesDir(l.id)), mapping)
    return changes.filter((change) => !UNREPORTED_PATHS.has(change.path))
  })
}
