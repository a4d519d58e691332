// `commit`: a container's changes as a new image. Its read-write layer is tarred once (with the
// owners the container saw, layer-diff.ts) and written on top of its image's layers; the config
// is the image's with what the container was run with (command, entrypoint, env, labels, user,
// working dir, ports), as Podman's commit takes it, and --change on top.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../errors'
import type {Container} from '../runtime/container/config'
import {containerDirs} from '../runtime/container/paths'
import {ContainerRecords, isAlive} from '../runtime/container/records'
import {isRunning} from '../runtime/container/report'
import type {CopyEvent} from '../storage/image/copy/copy'
import type {Store} from '../storage/store/store'
import {RunConfig, applyChanges, setEnv} from './changes'
import {ImageFormat, RawImageConfig, parentConfig, writeImage} from './image-writer'
import {containerMapping, diffLayer} from './layer-diff'
import {otherInits, whilePaused} from '../runtime/container/pause'
import {squashLayers} from './squash'

export interface CommitOptions {
  /** the normalized name to give the image; none leaves it unnamed */
  name?: string
  changes: string[]
  message?: string
  author?: string
  format: ImageFormat
  pause?: boolean
  /** the container's volumes and bind mounts as the image's VOLUMEs */
  includeVolumes?: boolean
  /** --squash: the image's layers and the container's changes as one layer, with no history before it */
  squash?: boolean
}

/** The container's run settings over its image's config, as Podman's commit records them. */
export function commitRunConfig(image: RunConfig, c: Container): RunConfig {
  const spec = c.config.containerSpec
  const config: RunConfig = structuredClone(image)
  if (spec.entrypoint !== undefined) config.Entrypoint = spec.entrypoint.length === 1 && spec.entrypoint[0] === '' ? null : spec.entrypoint
  if (spec.command && spec.command.length > 0) config.Cmd = spec.command
  else if (spec.entrypoint !== undefined) config.Cmd = null
  // HOME and HOSTNAME are the runtime's own defaults, kept only when the image or the user set them
  const named = new Set([...(config.Env ?? []).map((e) => e.split('=')[0]), ...spec.env.map(([k]) => k)])
  let env: string[] = config.Env ?? []
  for (const e of c.config.spec.process?.env ?? []) {
    const eq = e.indexOf('=')
    const key = eq < 0 ? e : e.slice(0, eq)
    if ((key === 'HOME' || key === 'HOSTNAME') && !named.has(key)) continue
    env = setEnv(env, key, eq < 0 ? '' : e.slice(eq + 1))
  }
  config.Env = env
  if (Object.keys(c.config.labels).length > 0) config.Labels = {...(config.Labels ?? {}), ...c.config.labels}
  if (spec.user) config.User = spec.user
  if (c.config.spec.process?.cwd) config.WorkingDir = c.config.spec.process.cwd
  for (const p of c.config.ports) {
    config.ExposedPorts ??= {}
    for (let i = 0; i < (p.range ?? 1); i++) config.ExposedPorts[`${p.containerPort + i}/${p.protocol}`] = {}
  }
  return config
}

export async function commitContainer(store: Store, c: Container, options: CommitOptions, onEvent?: (e: CopyEvent) => void): Promise<string> {
  const image = store.images.get(c.config.imageId)
  if (!image) throw new TspodError(`the image ${c.config.imageId} of container ${c.config.name} is missing from the store`)
  const base: RawImageConfig = parentConfig(image)
  const run = commitRunConfig(base.config, c)
  if (options.includeVolumes)
    for (const m of c.config.containerSpec.mounts)
      if (m.type !== 'tmpfs') {
        run.Volumes ??= {}
        run.Volumes[m.destination] = {}
      }
  const config: RawImageConfig = {...base, config: applyChanges(run, options.changes)}
  if (options.author !== undefined) config.author = options.author
  const work = store.newWorkDir('tmp')
  try {
    const file = path.join(work, 'layer.tar')
    const upper = containerDirs(store, c.config.id).upper
    if (!fs.existsSync(upper)) fs.mkdirSync(upper, {recursive: true, mode: 0o755})
    const tarUpper = () => diffLayer(upper, file, containerMapping(c.config.spec, store.mapping))
    const running = isRunning(c.state) && isAlive(c.state.pid, c.state.pidStart)
    const paused = () => whilePaused(c.state.pid, tarUpper, otherInits(ContainerRecords.open(store), c))
    let layer = options.pause && running ? await paused() : await tarUpper()
    let layerFile = file
    if (options.squash) {
      layerFile = path.join(work, 'squashed.tar')
      layer = await squashLayers([...image.layers.map((l) => store.layout.blobFile(l)), file], layerFile, work, false)
      config.rootfs = {type: 'layers', diff_ids: []}
      config.history = []
    }
    return await writeImage(store, {
      parent: options.squash ? undefined : image,
      config,
      layer: {file: layerFile, ...layer},
      history: {created_by: '/bin/sh', comment: options.message ?? `FROM ${c.config.imageName}`, ...(options.author ? {author: options.author} : {})},
      format: options.format,
      names: options.name ? [options.name] : [],
      onEvent,
    })
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}
