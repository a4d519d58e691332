// A small image store for the rootless test user, as test/runtime/container-run.test.ts builds
// one: busybox images built locally, their layers unpacked as the user into its namespace, and
// fresh upper/work/merged dirs per container; plus a runner for test/fixtures/oci-runtime-run.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {OciMount} from '../../../src/runtime/oci-spec'
import {RootfsLayout} from '../../../src/runtime/plan'
import type {ContainerOptions} from '../../../src/specgen/options'
import {BuiltImage} from '../../helpers/oci-image'
import {TestUser, runAs} from '../../helpers/rootless'

const UNPACK = path.join(__dirname, '..', '..', 'fixtures', 'unpack-layers.js')
const RUN = path.join(__dirname, '..', '..', 'fixtures', 'oci-runtime-run.js')

export interface ImageStore {
  user: TestUser
  dir: string
  /** lower dirs of each image, top layer first, and its config blob */
  images: Record<string, {lowerDirs: string[]; config: string}>
}

/** Write an image's layer blobs and unpack them, as the user, into `<dir>/layers/<name>-<n>`. */
async function unpackImage(user: TestUser, dir: string, name: string, image: BuiltImage): Promise<string[]> {
  const layersDir = path.join(dir, 'layers')
  fs.mkdirSync(layersDir, {recursive: true})
  fs.chownSync(layersDir, user.uid, user.gid)
  const jobs = image.layers.map((layer, i) => {
    const blob = path.join(dir, `${name}-${i}.blob`)
    fs.writeFileSync(blob, layer.data, {mode: 0o644})
    const dest = path.join(layersDir, `${name}-${i}`)
    fs.mkdirSync(dest)
    fs.chownSync(dest, user.uid, user.gid)
    return {blob, dest, expectedDiffID: layer.diffID}
  })
  // without subordinate ids, the image's other owners are squashed to the user, as Podman's ignore_chown_errors
  const ignoreChownErrors = !fs.readFileSync('/etc/subuid', 'utf8').split('\n').some((l) => l.startsWith(`${user.name}:`))
  const r = await runAs(user, [process.execPath, UNPACK, JSON.stringify({op: 'unpack', jobs, ignoreChownErrors})])
  const report = JSON.parse(r.stdout || '{}') as {error?: {message: string}}
  if (r.code !== 0 || report.error) throw new Error(`unpacking ${name} failed: ${r.stderr} ${report.error?.message}`)
  for (const job of jobs) fs.rmSync(job.blob)
  return jobs.map((j) => j.dest).reverse()
}

/** `dir` must exist and belong to the user. */
export async function makeImageStore(user: TestUser, dir: string, images: Record<string, BuiltImage>): Promise<ImageStore> {
  const store: ImageStore = {user, dir, images: {}}
  for (const [name, image] of Object.entries(images))
    store.images[name] = {lowerDirs: await unpackImage(user, dir, name, image), config: image.config.toString('utf8')}
  return store
}

let counter = 0

/** Fresh upper, work and merged dirs for one container, owned by the user. */
export function containerLayout(store: ImageStore, image: string): RootfsLayout {
  const dir = path.join(store.dir, 'containers', `c${process.pid}-${counter++}`)
  const [upperDir, workDir, mergedDir] = ['upper', 'work', 'merged'].map((name) => path.join(dir, name))
  for (const d of [path.dirname(dir), dir, upperDir, workDir, mergedDir]) {
    fs.mkdirSync(d, {recursive: true, mode: 0o700})
    fs.chownSync(d, store.user.uid, store.user.gid)
  }
  const lowerDirs = store.images[image].lowerDirs
  // the container's / takes the upper dir's mode: the image's, as tspod run and containers-storage do
  fs.chmodSync(upperDir, fs.statSync(lowerDirs[0]).mode & 0o7777)
  return {lowerDirs, upperDir, workDir, mergedDir, rootless: true}
}

export interface RunReport {
  mappingMode?: string
  exit?: {code: number | null; signal: string | null}
  stdout?: string
  stderr?: string
  terminal?: string
  warnings?: string[]
  runtime?: {path: string; name: string; kind: string; version?: string}
  error?: {name: string; message: string; exitCode: number; code?: string; path?: string}
}

export interface RunRequest {
  /** crun, runc or a path; absent: tspod's native runtime */
  runtime?: string
  image?: string
  options: ContainerOptions
  hostname?: string
  mounts?: OciMount[]
  kill?: {signal: NodeJS.Signals; whenStdout: string; viaPid?: boolean}
  /** prepare the container's dirs before it runs */
  prepare?: (layout: RootfsLayout) => void
}

export async function runContainer(store: ImageStore, request: RunRequest): Promise<RunReport & {layout: RootfsLayout}> {
  const image = request.image ?? 'busybox'
  const layout = containerLayout(store, image)
  request.prepare?.(layout)
  const fixtureRequest = {
    runtime: request.runtime,
    layout,
    imageConfig: store.images[image].config,
    options: request.options,
    hostname: request.hostname ?? 'tspod-oci',
    mounts: request.mounts,
    kill: request.kill,
  }
  const r = await runAs(store.user, [process.execPath, RUN, JSON.stringify(fixtureRequest)])
  if (r.code !== 0 || r.stdout === '') throw new Error(`oci-runtime-run failed (${r.code}, no report: ${r.stdout === ''}): ${r.stderr}`)
  return {...(JSON.parse(r.stdout) as RunReport), layout}
}

/** The exit status as a shell reports it: a signal N is 128+N (how the runtimes report one). */
export function statusCode(exit: {code: number | null; signal: string | null} | undefined): number | undefined {
  if (!exit) return undefined
  if (exit.signal) return 128 + (require('node:os').constants.signals as Record<string, number>)[exit.signal]
  return exit.code ?? undefined
}
