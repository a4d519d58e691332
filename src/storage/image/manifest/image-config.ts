// The image configuration blob (OCI image-spec config.md; a Docker config is a superset), read
// with the fields tspod uses and checked field by field.
import {JsonFields, JsonObject} from './json-fields'

export interface ContainerConfig {
  User?: string
  ExposedPorts?: Record<string, object>
  Env?: string[]
  Entrypoint?: string[]
  Cmd?: string[]
  Volumes?: Record<string, object>
  WorkingDir?: string
  Labels?: Record<string, string>
  StopSignal?: string
}

export interface HistoryEntry {
  created?: string
  created_by?: string
  author?: string
  comment?: string
  empty_layer?: boolean
}

export interface ImageConfig {
  created?: string
  author?: string
  architecture: string
  os: string
  variant?: string
  'os.version'?: string
  config: ContainerConfig
  rootfs: {type: 'layers'; diff_ids: string[]}
  history: HistoryEntry[]
}

function containerConfig(f: JsonFields, value: unknown): ContainerConfig {
  const c = f.optionalObject(value, 'config')
  if (!c) return {}
  const out: ContainerConfig = {}
  const user = f.optionalString(c.User, 'config.User')
  if (user !== undefined) out.User = user
  const exposed = f.optionalKeySet(c.ExposedPorts, 'config.ExposedPorts')
  if (exposed) out.ExposedPorts = exposed
  const env = f.optionalStringArray(c.Env, 'config.Env')
  if (env) out.Env = env
  const entrypoint = f.optionalStringArray(c.Entrypoint, 'config.Entrypoint')
  if (entrypoint) out.Entrypoint = entrypoint
  const cmd = f.optionalStringArray(c.Cmd, 'config.Cmd')
  if (cmd) out.Cmd = cmd
  const volumes = f.optionalKeySet(c.Volumes, 'config.Volumes')
  if (volumes) out.Volumes = volumes
  const workingDir = f.optionalString(c.WorkingDir, 'config.WorkingDir')
  if (workingDir !== undefined) out.WorkingDir = workingDir
  const labels = f.optionalStringMap(c.Labels, 'config.Labels')
  if (labels) out.Labels = labels
  const stopSignal = f.optionalString(c.StopSignal, 'config.StopSignal')
  if (stopSignal !== undefined) out.StopSignal = stopSignal
  return out
}

function history(f: JsonFields, value: unknown): HistoryEntry[] {
  return (f.optionalArray(value, 'history') ?? []).map((item, i) => {
    const field = `history[${i}]`
    const h = f.object(item, field)
    const entry: HistoryEntry = {}
    for (const key of ['created', 'created_by', 'author', 'comment'] as const) {
      const text = f.optionalString(h[key], `${field}.${key}`)
      if (text !== undefined) entry[key] = text
    }
    const empty = f.optionalBoolean(h.empty_layer, `${field}.empty_layer`)
    if (empty !== undefined) entry.empty_layer = empty
    return entry
  })
}

function rootfs(f: JsonFields, doc: JsonObject): ImageConfig['rootfs'] {
  const r = f.object(doc.rootfs, 'rootfs')
  if (r.type !== 'layers') f.fail('rootfs.type', `must be "layers", got ${JSON.stringify(r.type)}`)
  const diffIds = (f.optionalArray(r.diff_ids, 'rootfs.diff_ids') ?? []).map((d, i) => f.digest(d, `rootfs.diff_ids[${i}]`))
  return {type: 'layers', diff_ids: diffIds}
}

/** Parses and checks an image config blob. */
export function parseImageConfig(bytes: Buffer | string): ImageConfig {
  const f = new JsonFields('image config')
  const doc = f.parse(bytes)
  const config: ImageConfig = {
    architecture: f.nonEmptyString(doc.architecture, 'architecture'),
    os: f.nonEmptyString(doc.os, 'os'),
    config: containerConfig(f, doc.config),
    rootfs: rootfs(f, doc),
    history: history(f, doc.history),
  }
  const created = f.optionalString(doc.created, 'created')
  if (created !== undefined) {
    if (Number.isNaN(Date.parse(created))) f.fail('created', `must be an RFC 3339 time, got ${JSON.stringify(created)}`)
    config.created = created
  }
  const author = f.optionalString(doc.author, 'author')
  if (author !== undefined) config.author = author
  const variant = f.optionalString(doc.variant, 'variant')
  if (variant) config.variant = variant
  const osVersion = f.optionalString(doc['os.version'], 'os.version')
  if (osVersion) config['os.version'] = osVersion
  return config
}

/** A Docker config's Healthcheck (the OCI config has none): Test and durations in ns; undefined when absent or malformed. */
export function imageHealthcheck(bytes: Buffer | string): {Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number} | undefined {
  try {
    const hc = (JSON.parse(bytes.toString()) as {config?: {Healthcheck?: Record<string, unknown>}}).config?.Healthcheck
    if (!hc || !Array.isArray(hc.Test) || !hc.Test.every((w) => typeof w === 'string')) return undefined
    const out: {Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number} = {Test: hc.Test as string[]}
    for (const key of ['Interval', 'Timeout', 'StartPeriod', 'Retries'] as const) if (typeof hc[key] === 'number') out[key] = hc[key] as number
    return out
  } catch {
    return undefined
  }
}
