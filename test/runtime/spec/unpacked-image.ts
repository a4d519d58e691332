// A locally built image unpacked into a rootless user's namespace, and containers run from it
// through fixtures/run-generated.ts: config.json from the image and Podman's options, planned
// and run by tspod's namespaced child, as `tspod run` does.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {OciSpec} from '../../../src/runtime/oci-spec'
import type {ContainerOptions} from '../../../src/specgen/options'
import {TopResult} from '../../../src/runtime/top/top'
import {BuiltImage} from '../../helpers/oci-image'
import {TestUser, runAs, userTempDir} from '../../helpers/rootless'

const RUN = path.join(__dirname, 'fixtures', 'run-generated.js')
const UNPACK = path.join(__dirname, '..', '..', 'fixtures', 'unpack-layers.js')

export interface Unpacked {
  user: TestUser
  dir: string
  config: unknown
  layerDirs: string[]
}

export interface Report {
  exit?: {code: number | null; signal: string | null}
  stdout?: string
  stderr?: string
  spec?: OciSpec
  mappingMode?: string
  error?: {name: string; message: string; exitCode?: number}
  /** topProcesses(init, descriptors) for each requested set, or its error */
  top?: (TopResult | {error: string})[]
  /** the container's init on the host */
  pid?: number
}

/** While the container runs: once its stdout holds `whenStdout`, list its processes, then kill it. */
export interface TopRequest {
  whenStdout: string
  descriptors: (string[] | undefined)[]
}

function hasSubIds(name: string): boolean {
  return fs.readFileSync('/etc/subuid', 'utf8').split('\n').some((l) => l.startsWith(`${name}:`))
}

export async function unpack(user: TestUser, image: BuiltImage): Promise<Unpacked> {
  const dir = userTempDir(user, 'tspod-unpacked-')
  const jobs = image.layers.map((layer, i) => {
    const blob = path.join(dir, `layer-${i}.blob`)
    fs.writeFileSync(blob, layer.data, {mode: 0o644})
    const dest = path.join(dir, 'layers', String(i))
    fs.mkdirSync(dest, {recursive: true})
    fs.chownSync(dest, user.uid, user.gid)
    return {blob, dest, expectedDiffID: layer.diffID}
  })
  fs.chownSync(path.join(dir, 'layers'), user.uid, user.gid)
  const r = await runAs(user, [process.execPath, UNPACK, JSON.stringify({op: 'unpack', jobs, ignoreChownErrors: !hasSubIds(user.name)})])
  const report = JSON.parse(r.stdout) as {error?: {message: string}}
  if (r.code !== 0 || report.error) throw new Error(`unpacking failed: ${r.stderr} ${report.error?.message}`)
  return {user, dir, config: JSON.parse(image.config.toString('utf8')), layerDirs: jobs.map((j) => j.dest).reverse()}
}

let counter = 0

export async function run(image: Unpacked, options: ContainerOptions, top?: TopRequest): Promise<Report> {
  const dir = path.join(image.dir, 'containers', String(counter++))
  const [upperDir, workDir, mergedDir, userdata] = ['upper', 'work', 'merged', 'userdata'].map((d) => path.join(dir, d))
  for (const d of [path.dirname(dir), dir, upperDir, workDir, mergedDir, userdata]) {
    fs.mkdirSync(d, {recursive: true})
    fs.chownSync(d, image.user.uid, image.user.gid)
  }
  fs.chmodSync(upperDir, 0o755)
  const request = {config: image.config, layerDirs: image.layerDirs, upperDir, workDir, mergedDir, userdata, options, top}
  const r = await runAs(image.user, [process.execPath, RUN, JSON.stringify(request)])
  if (r.code !== 0) throw new Error(`run-generated failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as Report
}

