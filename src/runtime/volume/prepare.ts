// What libpod does to a named volume when a container using it starts (mountNamedVolume and
// fixVolumePermissions): the first time, copy the image's contents at the destination into the
// still empty volume ("copy-up"), and give the volume's _data the owner and mode of the
// destination in the image (or, where the image has none, the container process's user).
//
// Both need root of the user namespace (the image's files belong to subordinate ids), and the
// image's view at the destination: a helper child mounts the rootfs's layers read-only
// (overlay, with an upper dir of its own that is thrown away), binds the destination —
// resolved inside that root, so an image's symlink never points it at a host path — onto a
// dir of its own, and runs the host's `cp -a` and `chown` as mapped root.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {ChildStep} from '../../native'
import {planIdShift, shiftId} from '../../storage/store/mapped-layers/id-shift'
import type {IdMapping, UserNamespaceMapping} from '../../userns/idmap'
import type {OciSpec} from '../oci-spec'
import {rootfsSteps} from '../plan'
import {MS, stepName} from '../rootfs-mount'
import {hasNoCopy} from './create-options'
import {runAsMappedRoot} from './mapped-root'
import type {VolumeStore} from './volume-store'

export interface VolumeToPrepare {
  name: string
  destination: string
  /** the -v options: `nocopy` turns copy-up off */
  options?: string[]
}

export interface ContainerRootfs {
  /** the rootfs's layer dirs, top first (the image's; a container's upper dir may go on top) */
  lowerDirs: string[]
  /** without lower dirs: the container's whole root (the vfs driver's copy) */
  fullRoot?: string
}

/** The container process's user, in the ids of the store's user namespace (see processUserInStoreIds). */
export interface ProcessUser {
  uid: number
  gid: number
}

/**
 * The container process's user (spec.process.user, container ids) in the ids of the store's user
 * namespace, where volumes are prepared: the same ids under the default mapping, shifted under
 * another one (--userns=keep-id: the user's own uid is the namespace's 0).
 */
export function processUserInStoreIds(mapping: UserNamespaceMapping | undefined, spec: OciSpec): ProcessUser {
  const {uid, gid} = spec.process.user
  const maps = spec.linux
  if (!mapping || !maps?.uidMappings || !maps.gidMappings) return {uid, gid}
  return {
    uid: shiftId(planIdShift(maps.uidMappings, mapping.uidMap), uid, 'uid', 'the container user'),
    gid: shiftId(planIdShift(maps.gidMappings, mapping.gidMap), gid, 'gid', 'the container user'),
  }
}

/** The helper's step that binds the destination; ENOENT/ENOTDIR there: the image has no dir at the destination. */
const BIND_STEP = 'bind the volume destination'

// Exit codes of the helper script that are outcomes, not failures.
const NOT_COPIED = 10
const COPIED = 11
const NOT_EMPTY = 20

/**
 * $1 _data, $2 the destination's bind ('' when the image has none), $3 copy up (1/0),
 * $4 chown (1/0), $5 uid, $6 gid. Copies only into an empty volume from a non-empty dir (as
 * Podman, for CVE-2020-1726); chowns only an empty or just-filled volume. The image's device
 * nodes are not copied: a volume mounted with `dev` would make them usable, and tspod has no
 * device cgroup to stop them as Podman's has (docs/design/security.md).
 */
const SCRIPT = `set -e
data=$1 src=$2 copy=$3 chown=$4 uid=$5 gid=$6 copied=0
if [ "$copy" = 1 ] && [ -n "$src" ] && [ -n "$(ls -A "$src")" ] && [ -z "$(ls -A "$data")" ]; then
  cp -a --one-file-system "$src/." "$data/"
  find "$data" -xdev \\( -type b -o -type c \\) -exec rm -f {} +
  copied=1
fi
if [ "$chown" = 1 ]; then
  if [ "$copied" = 0 ] && [ -n "$(ls -A "$data")" ]; then exit ${NOT_EMPTY}; fi
  chown -h "$uid:$gid" "$data"
  if [ -n "$src" ]; then
    chown -h --reference="$src" "$data"
    chmod --reference="$src" "$data"
  fi
fi
exit $((${NOT_COPIED} + copied))
`

function toContainerId(map: IdMapping[] | undefined, hostId: number): number {
  if (!map) return hostId
  const m = map.find((e) => hostId >= e.hostID && hostId < e.hostID + e.size)
  return m ? m.containerID + (hostId - m.hostID) : 65534
}

interface HelperRun {
  data: string
  destination?: string
  copy: boolean
  chown: boolean
  user: ProcessUser
}

export class VolumePreparer {
  constructor(
    private readonly volumes: VolumeStore,
    private readonly rootfs: ContainerRootfs,
  ) {}

  private get store() {
    return this.volumes.store
  }

  private steps(work: string, destination: string): ChildStep[] {
    const {upper, work: overlayWork, merged} = this.store.layout.driver.containerDirs(work)
    const src = path.join(work, 'src')
    const rootless = this.store.mapping !== undefined
    const lowerDirs = this.rootfs.lowerDirs
    // a full-copy root (vfs) is bound as it is; the image's layers are stacked over an empty upper
    const mountRoot: ChildStep[] =
      lowerDirs.length > 0
        ? rootfsSteps({lowerDirs, upperDir: upper, workDir: overlayWork, mergedDir: merged, rootless})
        : this.rootfs.fullRoot !== undefined
          ? rootfsSteps({lowerDirs: [], upperDir: this.rootfs.fullRoot, workDir: overlayWork, mergedDir: merged, rootless})
          : []
    for (const dir of [upper, overlayWork, merged, src]) fs.mkdirSync(dir, {mode: 0o700})
    return [
      {kind: 'mount', name: 'make `/` private', source: 'none', path: '/', flags: MS.REC | MS.PRIVATE},
      ...mountRoot,
      {kind: 'chdir', name: stepName(`chdir to \`${merged}\``), path: merged},
      {kind: 'mount', name: BIND_STEP, source: destination, sourceInRoot: true, path: src, flags: MS.BIND},
    ]
  }

  /** One helper run; its outcome code, or 'no-destination' when the image has no dir there. */
  private async run(run: HelperRun): Promise<number | 'no-destination'> {
    const work = this.store.newWorkDir('staging')
    try {
      const withImage = run.destination !== undefined && (this.rootfs.lowerDirs.length > 0 || this.rootfs.fullRoot !== undefined)
      try {
        return await runAsMappedRoot(this.store.mapping, {
          file: '/bin/sh',
          argv: ['sh', '-c', SCRIPT, 'sh', run.data, withImage ? path.join(work, 'src') : '', run.copy ? '1' : '0', run.chown ? '1' : '0', String(run.user.uid), String(run.user.gid)],
          steps: withImage ? this.steps(work, run.destination!) : undefined,
          doing: `preparing volume directory ${JSON.stringify(run.data)}`,
          okCodes: [NOT_COPIED, COPIED, NOT_EMPTY],
        })
      } catch (err) {
        const e = err as TspodError
        if (e.syscall === BIND_STEP && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return 'no-destination'
        throw err
      }
    } finally {
      await this.store.removeTrees([work])
    }
  }

  /** Copy-up and chown for one volume, once, as Podman does at the first start that needs them. */
  async prepare(target: VolumeToPrepare, user: ProcessUser): Promise<void> {
    const volume = this.volumes.get(target.name)
    if (!volume) throw new TspodError(`retrieving named volume ${target.name}: no volume with name ${JSON.stringify(target.name)} found: no such volume`)
    const wantsCopy = volume.needsCopyUp && !(target.options ?? []).includes('nocopy') && !hasNoCopy(volume.options)
    if (!wantsCopy && !volume.needsChown) return
    // claim the copy-up, so that two starts never both copy
    const copy = wantsCopy && this.volumes.claimCopyUp(volume.name)
    const data = this.volumes.ensureDataDir(volume.name)
    let outcome: number | 'no-destination'
    try {
      outcome = await this.run({data, destination: target.destination, copy, chown: volume.needsChown, user})
      if (outcome === 'no-destination') outcome = await this.run({data, copy: false, chown: volume.needsChown, user})
    } catch (err) {
      if (copy) this.volumes.updateState(volume.name, {needsCopyUp: true})
      throw err
    }
    const copied = outcome === COPIED
    if (copy && !copied) this.volumes.updateState(volume.name, {needsCopyUp: true})
    if (!volume.needsChown) return
    if (outcome === NOT_EMPTY) {
      this.volumes.updateState(volume.name, {needsChown: false})
      return
    }
    const st = fs.statSync(data)
    const uid = toContainerId(this.store.mapping?.uidMap, st.uid)
    const gid = toContainerId(this.store.mapping?.gidMap, st.gid)
    // ids 0:0 are sticky, and a copied-up volume keeps what it got
    this.volumes.updateState(volume.name, {needsChown: !(copied || (uid === 0 && gid === 0)), uid, gid})
  }
}

/**
 * Before a container's first start: copy-up and chown for each of its named volumes that still
 * needs them (Podman's NeedsCopyUp / NeedsChown). `user` is the container process's user.
 */
export async function prepareVolumes(volumes: VolumeStore, targets: VolumeToPrepare[], rootfs: ContainerRootfs, user: ProcessUser): Promise<void> {
  const preparer = new VolumePreparer(volumes, rootfs)
  for (const target of targets) await preparer.prepare(target, user)
}
