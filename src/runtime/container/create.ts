// `create`: a container record, its dirs (upper, work, merged, userdata with the /etc files)
// and its OCI spec, generated once from the image config and its ContainerSpec, as Podman does.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {VERSION} from '../../package-info'
import {imageHealthcheck, parseImageConfig} from '../../storage/image/manifest/image-config'
import {containerHealthcheck} from '../../specgen/healthcheck'
import {copyTreeAsMappedRoot} from '../../storage/store/copy-tree'
import {containerLowerDirs} from '../../storage/store/mapped-layers/mapped-layers'
import {chownToContainerRoot, ensureMappedLayers} from '../../storage/store/mapped-layers/mapped-layers-build'
import type {Image} from '../../storage/store/images/images'
import type {Store} from '../../storage/store/store'
import type {OciIdMapping} from '../oci-spec'
import {addMounts, generateSpec} from '../spec/generate'
import {DEFAULT_STOP_SIGNAL} from '../spec/stop-signal'
import {Container, ContainerConfig} from './config'
import {CopiedFile, containerEnvEngine, containerEnvFile, writeContainerFiles} from '../spec/container-files'
import {timezoneFile} from '../spec/timezone'
import type {ContainerSpec} from '../../specgen/container-spec'
import {networkModeName} from '../../specgen/network'
import {NetworkConfigs} from '../network/netavark/config'
import {defaultHostname, etcFilesFor, joinedEtcMounts, writeEtcFiles} from './etc-files'
import {addMtabLink} from './mtab-link'
import {randomName} from './names'
import {containerDirs} from './paths'
import {sharedShmMount} from '../pod/shm'
import {resolveSharedNamespaces} from './dependencies'
import {mountsWithVolumesFrom} from './volumes-from'
import {ContainerRecords} from './records'
import {checkSecretsExist, writeSecretFiles} from '../secret/container-secrets'
import {copyDefaultMounts, DefaultMountsCopy} from '../default-mounts/copy-mounts'
import {chosenMountsConf, readMountsConf} from '../default-mounts/mounts-conf'
import type {OciMount} from '../oci-spec'

const DEFAULT_STOP_TIMEOUT = 10

function ociMappings(map: {containerID: number; hostID: number; size: number}[]): OciIdMapping[] {
  return map.map(({containerID, hostID, size}) => ({containerID, hostID, size}))
}

export interface Created {
  container: Container
  /** things Podman warns about (a group outside the user namespace) */
  warnings: string[]
}

/**
 * A container from a parsed spec (specgen/parse.ts). What is checked here depends on the host
 * at create: the zone file, the runtime, and (generateSpec) the image's users and the mounts' sources.
 */
/** The maps of the containers with --userns=auto: a new one takes other ids. */
function autoUsernsTaken(records: ContainerRecords): {uidMappings: OciIdMapping[]; gidMappings: OciIdMapping[]}[] {
  return records
    .list()
    .filter((c) => c.config.containerSpec.userns.kind === 'auto')
    .map((c) => ({uidMappings: c.config.spec.linux?.uidMappings ?? [], gidMappings: c.config.spec.linux?.gidMappings ?? []}))
}

export interface CreateOptions {
  /** removed again by the same command (records.ts, add) */
  transient?: boolean
  /** --default-mounts-file: the only mounts.conf read */
  defaultMountsFile?: string
}

export async function createContainer(store: Store, records: ContainerRecords, image: Image, imageName: string, request: ContainerSpec, options: CreateOptions = {}): Promise<Created> {
  const zone = request.timezone === undefined ? [] : [timezoneFile(request.timezone)]
  if (request.runtime !== undefined) (await import('../oci-runtime')).resolveOciRuntime(request.runtime)
  // under the layers lock (shared) until the container's row keeps the image: rmi cannot delete
  // the layers this reads and copies meanwhile (docs/design/locking.md)
  return store.withLayersLock('shared', () => {
    if (!store.images.get(image.id)) throw imageRemoved(image)
    return createOnImage(store, records, image, imageName, request, zone, options)
  })
}

/**
 * mounts.conf's host files and dirs, copied into the container's userdata dir and bound there; a
 * destination the container has a mount at already keeps that mount, as Podman's.
 */
function containerDefaultMounts(flag: string | undefined, userdata: string, present: OciMount[]): DefaultMountsCopy {
  const file = chosenMountsConf(flag)
  if (file === undefined) return {mounts: [], paths: [], warnings: []}
  return copyDefaultMounts(file, readMountsConf(file), path.join(userdata, 'default-mounts'), new Set(present.map((m) => m.destination)))
}

/** The hostname of the container whose UTS namespace it joins (a pod's infra), for /etc/hostname. */
function joinedHostname(records: ContainerRecords, request: ContainerSpec): string | undefined {
  if (request.uts?.kind !== 'container') return undefined
  const donor = records.get(request.uts.container)
  return donor && (donor.config.spec.hostname ?? donor.config.id.slice(0, 12))
}

function imageRemoved(image: Image): TspodError {
  return new TspodError(`image ${image.id} was removed while the container was being created: image not known`)
}

/**
 * A full-copy driver's container root (vfs): its image's top layer tree, copied. The root stays
 * the user's to write into (mtab link, then its mode) until the end of create, as overlay's upper.
 */
async function copyImageRoot(store: Store, topLayer: string | undefined, root: string): Promise<void> {
  if (topLayer === undefined) return
  await copyTreeAsMappedRoot(topLayer, root, store.mapping)
  fs.chmodSync(root, 0o700)
}

async function createOnImage(
  store: Store,
  records: ContainerRecords,
  image: Image,
  imageName: string,
  request: ContainerSpec,
  zone: CopiedFile[],
  {transient = false, defaultMountsFile}: CreateOptions,
): Promise<Created> {
  request = resolveSharedNamespaces(records, request)
  const withVolumesFrom = mountsWithVolumesFrom(records, request)
  const id = crypto.randomBytes(32).toString('hex')
  if (request.network.kind === 'bridge') {
    const configs = NetworkConfigs.forGraphRoot(store.config.graphRoot)
    for (const name of Object.keys(request.network.networks)) configs.lookup(name)
  }
  if (request.secrets?.length) checkSecretsExist(store.config.graphRoot, request.secrets)
  const network = networkModeName(request.network)
  const healthcheck = containerHealthcheck(request.healthcheck, imageHealthcheck(image.config))
  if (request.healthOnFailure && !healthcheck) throw new TspodError(`cannot set on-failure action to ${request.healthOnFailure} without a health check`)
  const name = request.name ?? randomName((n) => store.containers.list().some((c) => c.name === n))

  const dirs = containerDirs(store, id)
  // the image's own layers: what the spec reads (/etc/passwd and the like) is the same in a copy
  const lowerDirs = containerLowerDirs(store, image, undefined)
  const hostname = request.hostname ?? defaultHostname(network, id)
  const imageConfig = parseImageConfig(image.config)
  const generated = generateSpec({
    image: {config: imageConfig, layerDirs: lowerDirs},
    // the stored request keeps the mounts as given; --volumes-from's are resolved once, here
    spec: {...request, mounts: withVolumesFrom.mounts},
    rootfs: dirs.merged,
    hostname,
    rootless: store.mapping !== undefined,
    uidMappings: store.mapping && ociMappings(store.mapping.uidMap),
    gidMappings: store.mapping && ociMappings(store.mapping.gidMap),
    ...(request.userns.kind === 'auto' ? {autoUsernsTaken: autoUsernsTaken(records)} : {}),
  })
  for (const d of [dirs.dir, dirs.upper, dirs.work, dirs.merged, dirs.userdata]) fs.mkdirSync(d, {recursive: true, mode: 0o700})
  try {
    await ensureMappedLayers(store, image, generated.spec.linux)
    if (store.layout.driver.fullCopies) await copyImageRoot(store, containerLowerDirs(store, image, generated.spec.linux)[0], dirs.upper)
    const etcFiles = etcFilesFor(network, joinedHostname(records, request) ?? hostname, name, {
      ...request,
      slirp4netnsCidr: request.network.kind === 'slirp4netns' ? request.network.options?.cidr : undefined,
      pastaOptions: request.network.kind === 'pasta' ? request.network.options : undefined,
      imageLayerDirs: lowerDirs,
    })
    const donor = request.network.kind === 'container' ? records.get(request.network.container) : undefined
    // the user's own mounts over /etc/hosts, /etc/hostname or /etc/resolv.conf stay
    const userDestinations = new Set(withVolumesFrom.mounts.map((m) => path.posix.normalize(m.destination).replace(/(.)\/+$/, '$1')))
    const joined = (donor ? joinedEtcMounts(containerDirs(store, donor.config.id).userdata, request.noHosts === true) : []).filter((m) => !userDestinations.has(m.destination))
    const files = [
      ...writeEtcFiles(dirs.userdata, donor ? {hostname: etcFiles.hostname} : etcFiles, userDestinations),
      ...writeContainerFiles(dirs.userdata, [...generated.files, ...zone, ...containerEnvFile(generated.spec.mounts ?? [], request.privileged ? {engine: containerEnvEngine(VERSION), name, id, image: imageName, imageId: image.id, rootless: store.mapping !== undefined} : undefined)]),
    ]
    const shm = sharedShmMount(store, id, request)
    const secrets = await writeSecretFiles(store, image, generated.spec.linux, dirs.userdata, request.secrets ?? [])
    const own = [...files, ...joined, ...secrets, ...(shm ? [shm] : [])]
    const defaults = containerDefaultMounts(defaultMountsFile, dirs.userdata, [...(generated.spec.mounts ?? []), ...own])
    const mtab = addMtabLink(dirs.upper, lowerDirs)
    // The container's / takes the upper dir's mode: give it the image's (0555 as a rule), as
    // containers-storage does; last, as the user may not write into it then.
    if (lowerDirs.length > 0) fs.chmodSync(dirs.upper, fs.statSync(lowerDirs[0]).mode & 0o7777)
    await chownToContainerRoot(store, image, generated.spec.linux, [dirs.upper, ...mtab, ...files.map((m) => m.source!), ...defaults.paths])
    const spec = addMounts(generated.spec, [...own, ...defaults.mounts])
    const stopSignal = Number(spec.annotations?.['org.opencontainers.image.stopSignal'] ?? DEFAULT_STOP_SIGNAL)
    const config: ContainerConfig = {
      id,
      name,
      labels: {...(imageConfig.config?.Labels ?? {}), ...request.labels},
      imageId: image.id,
      imageName,
      created: new Date().toISOString(),
      spec,
      containerSpec: request,
      autoRemove: request.autoRemove,
      runtime: request.runtime,
      keepGroups: generated.keepGroups,
      stopSignal,
      stopTimeout: request.stopTimeout ?? DEFAULT_STOP_TIMEOUT,
      monitorPidFile: request.monitorPidFile,
      timeout: request.timeout || undefined,
      ports: request.ports,
      network,
      volumes: [],
      log: request.log,
      ...(healthcheck ? {healthcheck} : {}),
      ...(request.healthOnFailure ? {healthOnFailure: request.healthOnFailure} : {}),
    }
    let container: Container
    try {
      container = records.add(config, {transient})
    } catch (err) {
      // rmi deleted the image row (it takes no lock for that) since the check above
      if ((err as {code?: string}).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw imageRemoved(image)
      throw err
    }
    const warnings = [...defaults.warnings, ...withVolumesFrom.warnings, ...generated.warnings]
    if (generated.namedVolumes.length === 0) return {container, warnings}
    try {
      // volume_users rows refer to the container's row: it comes first
      const {VolumeStore, attachNamedVolumes} = await import('../volume')
      const attached = attachNamedVolumes(VolumeStore.open(store), generated.namedVolumes, id)
      container.config = {
        ...config,
        spec: addMounts(config.spec, attached.map((a) => a.mount)),
        volumes: attached.map((a) => ({name: a.volume.name, destination: a.destination, options: a.mount.options ?? []})),
      }
      records.replaceConfig(container.config)
    } catch (err) {
      records.delete(id)
      throw err
    }
    return {container, warnings}
  } catch (err) {
    // its upper dir may be read-only to the user (a layer root's 0555) or the container root's (keep-id)
    await store.removeTrees([dirs.dir]).catch(() => undefined)
    throw err
  }
}
