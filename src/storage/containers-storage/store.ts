// The containers/storage store that Podman and buildah share (not tspod's own): its containers,
// layers and images read under the store's shared locks, and the directories its graph driver
// keeps a layer in. A store that is not there (the user never ran buildah or Podman) is empty.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {containersStorageLocation, type ContainersStorageLocation} from './location'
import {readRecordFile, type CsContainer, type CsImage, type CsLayer, type CsMountPoint} from './records'
import {withStoreLocks, type StoreLock, type StoreLockMode} from './store-lock'

export interface CsSnapshot {
  containers: CsContainer[]
  layers: CsLayer[]
  images: CsImage[]
  mountPoints: CsMountPoint[]
}

/** buildah's record of its working containers, in the container's userdata dir. */
const BUILDAH_STATE_FILE = 'buildah.json'
const BUILDAH_CONTAINER_TYPE = 'buildah 0.0.1'

export class ContainersStorage {
  constructor(readonly location: ContainersStorageLocation = containersStorageLocation()) {}

  private graph(...parts: string[]): string {
    return path.join(this.location.graphRoot, ...parts)
  }

  private run(...parts: string[]): string {
    return path.join(this.location.runRoot, ...parts)
  }

  get containersDir(): string {
    return this.graph(`${this.location.driver}-containers`)
  }

  get layersDir(): string {
    return this.graph(`${this.location.driver}-layers`)
  }

  get imagesDir(): string {
    return this.graph(`${this.location.driver}-images`)
  }

  get containersFile(): string {
    return path.join(this.containersDir, 'containers.json')
  }

  get volatileContainersFile(): string {
    return this.run(`${this.location.driver}-containers`, 'volatile-containers.json')
  }

  get layersFile(): string {
    return path.join(this.layersDir, 'layers.json')
  }

  get volatileLayersFile(): string {
    return this.run(`${this.location.driver}-layers`, 'volatile-layers.json')
  }

  get mountPointsFile(): string {
    return this.run(`${this.location.driver}-layers`, 'mountpoints.json')
  }

  /** The store's locks in containers/storage's order: graph, layers (and their mounts), images, containers. */
  lockFiles(): string[] {
    const files = [this.graph('storage.lock'), path.join(this.layersDir, 'layers.lock')]
    if (fs.existsSync(path.dirname(this.mountPointsFile))) files.push(this.run(`${this.location.driver}-layers`, 'mountpoints.lock'))
    if (fs.existsSync(this.imagesDir)) files.push(path.join(this.imagesDir, 'images.lock'))
    files.push(path.join(this.containersDir, 'containers.lock'))
    return files
  }

  /** The store holds containers at all (its containers dir is there). */
  exists(): boolean {
    return fs.existsSync(this.containersDir) && fs.existsSync(this.layersDir)
  }

  /** Run `action` on the records as they are while the store's locks are held. */
  async locked<T>(mode: StoreLockMode, action: (snapshot: CsSnapshot, locks: StoreLock[]) => Promise<T> | T): Promise<T> {
    return await withStoreLocks(this.lockFiles(), mode, async (locks) => await action(this.readRecords(), locks))
  }

  private readRecords(): CsSnapshot {
    return {
      containers: [...readRecordFile<CsContainer>(this.containersFile), ...readRecordFile<CsContainer>(this.volatileContainersFile)],
      layers: [...readRecordFile<CsLayer>(this.layersFile), ...readRecordFile<CsLayer>(this.volatileLayersFile)],
      images: readRecordFile<CsImage>(path.join(this.imagesDir, 'images.json')),
      mountPoints: readRecordFile<CsMountPoint>(this.mountPointsFile),
    }
  }

  /** The records, read under shared locks; empty when there is no store. */
  async snapshot(): Promise<CsSnapshot> {
    if (!this.exists()) return {containers: [], layers: [], images: [], mountPoints: []}
    return await this.locked('shared', (snapshot) => snapshot)
  }

  /** The dir a container keeps its own files in (buildah's state), under the graph root. */
  containerDir(id: string): string {
    return path.join(this.containersDir, id)
  }

  /** The container's dir under the run root. */
  containerRunDir(id: string): string {
    return this.run(`${this.location.driver}-containers`, id)
  }

  /** buildah made this container (its state file in the container's userdata says so). */
  isBuildahContainer(id: string): boolean {
    try {
      const state = JSON.parse(fs.readFileSync(path.join(this.containerDir(id), 'userdata', BUILDAH_STATE_FILE), 'utf8')) as {type?: unknown}
      return state.type === BUILDAH_CONTAINER_TYPE
    } catch {
      return false
    }
  }

  /** Where the graph driver keeps a layer's own files (its diff): overlay's diff dir, vfs's full tree. */
  layerFilesDir(layerId: string): string {
    switch (this.location.driver) {
      case 'overlay':
        return this.graph('overlay', layerId, 'diff')
      case 'vfs':
        return this.graph('vfs', 'dir', layerId)
      default:
        throw new TspodError(`containers/storage driver "${this.location.driver}" is not one tspod reads (overlay, vfs)`)
    }
  }

  /** The dirs the graph driver made for a layer (overlay: its dir and its short link). */
  layerDriverPaths(layerId: string): string[] {
    if (this.location.driver === 'vfs') return [this.graph('vfs', 'dir', layerId)]
    const dir = this.graph(this.location.driver, layerId)
    const paths = [dir]
    try {
      const link = fs.readFileSync(path.join(dir, 'link'), 'utf8').trim()
      if (link !== '' && !link.includes('/')) paths.unshift(this.graph(this.location.driver, 'l', link))
    } catch {
      // no link file: a layer made without one
    }
    return paths
  }
}

/** A container by full ID, name, or unique ID prefix, as containers/storage looks one up. */
export function findCsContainer(containers: CsContainer[], nameOrId: string): CsContainer | undefined {
  const exact = containers.find((c) => c.id === nameOrId) ?? containers.find((c) => (c.names ?? []).includes(nameOrId))
  if (exact) return exact
  if (!/^[0-9a-f]+$/.test(nameOrId)) return undefined
  const byPrefix = containers.filter((c) => c.id.startsWith(nameOrId))
  if (byPrefix.length > 1) throw new TspodError(`more than one result for container "${nameOrId}" in containers/storage: container already exists`)
  return byPrefix[0]
}

/** A layer and the layers below it, top first. */
export function layerChain(layers: CsLayer[], top: string): CsLayer[] {
  const byId = new Map(layers.map((l) => [l.id, l]))
  const chain: CsLayer[] = []
  for (let id: string | undefined = top; id; id = byId.get(id)?.parent) {
    const layer = byId.get(id)
    if (!layer) throw new TspodError(`layer ${id} is not known to containers/storage: layer not known`)
    if (chain.includes(layer)) throw new TspodError(`layer ${id} is its own ancestor in containers/storage's layers`)
    chain.push(layer)
  }
  return chain
}
