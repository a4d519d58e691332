// `tspod pull` as a library: resolve what the user typed to the references to try (transport
// prefixes, short names through registries.conf, mirrors), copy the first that works into the
// store, and name the image.
import * as fs from 'node:fs'

import {TspodError, UsageError} from '../../errors'
import {RegistriesConfig, pullSources} from './config/registries-conf'
import {CopyEvent, copyImage} from './copy/copy'
import {DockerReference, parseNormalizedName} from './reference/docker-reference'
import {resolveShortName} from './reference/short-names'
import type {Image} from '../store/images/images'
import type {Store} from '../store/store'
import {DockerImageReference} from './transports/docker/transport'
import {StoreImageReference, storeTransport} from './transports/containers-storage/transport'
import {parseImageName, transportNames} from './transports/registry'
import {ImageContext, ImageReference} from './transports/types'
import {sourceImageNames} from './transports/containers-storage/names'

export interface PullOptions {
  ctx: ImageContext & {registries: RegistriesConfig}
  /** a terminal is attached (short-name prompting would be possible) */
  isTerminal: boolean
  /** progress lines, Podman's words ("Trying to pull …", "Copying blob …") */
  report?: (line: string) => void
  onEvent?: (event: CopyEvent) => void
  onWarning?: (message: string) => void
}

/**
 * "oci:/x", "docker://alpine": a transport prefix that is a known transport's name. The store is
 * where a pull copies to, never a source: "containers-storage:…" is read as an image name.
 */
function transportPrefix(text: string): string | undefined {
  const i = text.indexOf(':')
  if (i <= 0) return undefined
  const name = text.slice(0, i)
  return name !== storeTransport.name && transportNames().includes(name) ? name : undefined
}

function dockerCandidates(text: string, opts: PullOptions): {candidates: DockerReference[]; announce: boolean} {
  if (text.startsWith('docker://')) return {candidates: [parseNormalizedName(text.slice(9)).withDefaultTag()], announce: false}
  const resolution = resolveShortName(text, opts.ctx.registries, {isTerminal: opts.isTerminal})
  // Without a way to prompt here, several candidates are tried in order (permissive mode).
  // Podman announces each with "Trying to pull …", but not for docker:// references.
  return {candidates: resolution.candidates, announce: true}
}

/** Copy ref into the store; names: fixed names, or undefined for the names the source carries. */
/** The image stored, and the names this copy gave it (other names it had before are kept). */
export interface CopiedImage {
  image: Image
  names: string[]
}

async function copyInto(store: Store, ref: ImageReference, names: string[] | undefined, opts: PullOptions): Promise<CopiedImage> {
  const source = await ref.newSource(opts.ctx)
  try {
    const given = names ?? sourceImageNames(source)
    const dest = await StoreImageReference.named(store, given).newDestination({...opts.ctx, onWarning: opts.onWarning})
    try {
      const result = await copyImage(source, dest, {platform: opts.ctx.platform, onEvent: opts.onEvent})
      return {image: store.images.get(result.configDigest.slice('sha256:'.length))!, names: given}
    } finally {
      await dest.close()
    }
  } finally {
    await source.close()
  }
}

async function pullDocker(store: Store, ref: DockerReference, opts: PullOptions): Promise<Image> {
  const errors: string[] = []
  for (const source of pullSources(opts.ctx.registries, ref)) {
    try {
      return (await copyInto(store, new DockerImageReference(source.reference, source.insecure), [ref.withoutTagIfDigested().toString()], opts)).image
    } catch (err) {
      if (opts.ctx.signal?.aborted) throw err
      errors.push((err as Error).message)
    }
  }
  throw new TspodError(errors.join('; '))
}

/** TEXT is "TRANSPORT:…" of a local archive or layout (not docker://): the image, named as its source names it. */
export async function pullLocalImage(store: Store, text: string, opts: PullOptions): Promise<CopiedImage> {
  // Archives are unpacked in a work dir of this process inside the store, cleaned if we die.
  const work = store.newWorkDir('tmp')
  try {
    return await copyInto(store, parseImageName(text, {tmpDir: work}), undefined, opts)
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}

/** TEXT is "TRANSPORT:…" of a local archive or layout: the image, given exactly these names. */
export async function copyLocalImage(store: Store, text: string, names: string[], opts: PullOptions): Promise<CopiedImage> {
  return copyInto(store, parseImageName(text), names, opts)
}

export async function pullImage(store: Store, text: string, opts: PullOptions): Promise<Image> {
  if (text.trim() === '') throw new UsageError('invalid reference format: repository name must have at least one component')
  const prefix = transportPrefix(text)
  if (prefix && prefix !== 'docker') return (await pullLocalImage(store, text, opts)).image
  const {candidates, announce} = dockerCandidates(text, opts)
  const failures: string[] = []
  for (const candidate of candidates) {
    if (announce) opts.report?.(`Trying to pull ${candidate.toString()}...`)
    try {
      return await pullDocker(store, candidate, opts)
    } catch (err) {
      if (opts.ctx.signal?.aborted) throw err
      failures.push(candidates.length > 1 ? `${candidate.toString()}: ${(err as Error).message}` : (err as Error).message)
    }
  }
  throw new TspodError(candidates.length > 1 ? `${failures.length} errors occurred while pulling: ${failures.join('; ')}` : failures[0])
}
