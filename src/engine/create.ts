// `create` and `run`: the image (pulled when missing, as Podman's default pull policy) and a new
// container from it, its ID written to --cidfile.
import {UsageError} from '../errors'
import {claimCidFile} from '../runtime/container/cid-file'
import {Created, createContainer} from '../runtime/container/create'
import type {ContainerRecords} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import type {RegistriesConfig} from '../storage/image/config/registries-conf'
import {resolveLocalImage} from '../storage/store/images/lookup'
import type {Image} from '../storage/store/images/images'
import type {Store} from '../storage/store/store'
import type {ContainerSpec} from '../specgen/container-spec'
import type {ImageContext} from '../storage/image/transports/types'
import type {PullProgress, WarningEvents} from './events'

export type PullPolicy = 'always' | 'missing' | 'never' | 'newer'

/** What `create` takes: the image, the container's spec (parsed and checked by the front end) and how to pull the image if needed. */
export interface CreateInput {
  /** the image as the user named it */
  image: string
  spec: ContainerSpec
  /** --pull (default missing; newer pulls only when missing: tspod does not compare with the registry) */
  pullPolicy?: PullPolicy | string
  /** how to reach a registry; made (and its flags checked) only when the image is pulled */
  pullContext: () => ImageContext
  /** --cidfile: claimed before the container is created, written after */
  cidFile?: string
  /** --replace: a container of the same name is removed first (stopped if it runs) */
  replace?: boolean
  /** removed again by the same command (a build's RUN step): its record files are not fsynced */
  transient?: boolean
  /** --default-mounts-file: the only mounts.conf read */
  defaultMountsFile?: string
}

export interface CreateEvents extends WarningEvents {
  /** progress of a pull, asked for only when the image must be pulled */
  pullProgress?: () => PullProgress
}

export async function createFromImage(store: Store, records: ContainerRecords, registries: RegistriesConfig, input: CreateInput, events: CreateEvents): Promise<Created> {
  if (input.replace && input.spec.name) await replaceContainer(store, records, input.spec.name)
  if (input.cidFile === undefined) return await createFromImageName(store, records, registries, input, events)
  const claimed = claimCidFile(input.cidFile)
  let created: Created
  try {
    created = await createFromImageName(store, records, registries, input, events)
  } catch (err) {
    claimed.abandon()
    throw err
  }
  claimed.write(created.container.config.id)
  return created
}

/** An image pulled into the store, its progress and warnings told through the events. */
export async function pullReporting(store: Store, name: string, ctx: ImageContext & {registries: RegistriesConfig}, events: CreateEvents): Promise<Image> {
  // the pull machinery is loaded only when an image is missing: most runs start faster without it
  const {pullImage} = await import('../storage/image/pull')
  const progress = events.pullProgress?.()
  try {
    return await pullImage(store, name, {
      ctx,
      isTerminal: false,
      report: progress && ((line) => progress.line(line)),
      onEvent: progress && ((e) => progress.event(e)),
      onWarning: events.onWarning,
    })
  } finally {
    progress?.stop()
  }
}

/** `--replace`: the container of that name, if any, stopped and removed (Podman's rm --force --ignore). */
async function replaceContainer(store: Store, records: ContainerRecords, name: string): Promise<void> {
  const existing = records.list().find((c) => c.config.name === name)
  if (existing) await removeContainer(store, records, existing, {force: true})
}

async function createFromImageName(store: Store, records: ContainerRecords, registries: RegistriesConfig, input: CreateInput, events: CreateEvents): Promise<Created> {
  if (input.spec.pod !== undefined) {
    const {PodEngine} = await import('./pods')
    input = {...input, spec: await new PodEngine(store, records, registries).joinPod(input.spec, input.pullContext)}
  }
  const imageName = input.image
  const policy = input.pullPolicy ?? 'missing'
  const match = policy === 'always' ? undefined : resolveLocalImage(store, imageName, registries)
  let image = match?.image
  if (!image && policy === 'never') throw new UsageError(`${imageName}: image not known`)
  if (!image) image = await pullReporting(store, imageName, {...input.pullContext(), registries}, events)
  // the name the image was found by, as Podman records it (an ID stays an ID)
  const resolvedName = match ? (match.name ?? imageName) : (image.names[0] ?? imageName)
  return await createContainer(store, records, image, resolvedName, input.spec, {transient: input.transient, defaultMountsFile: input.defaultMountsFile})
}
