// RUN --mount (BuildKit's syntax, as buildah takes it) and `build --secret`, turned into the bind
// and tmpfs mounts of the step's container:
// - type=bind (the default): a path of the build context, read-only unless `rw` (then a scratch
//   copy, so writes are dropped with the step);
// - type=cache: a dir kept in the store across builds, keyed by `id` (default: the target);
// - type=tmpfs: a tmpfs, `size` bytes at most;
// - type=secret: a `--secret` given to the build, at /run/secrets/<id> or `target`, mode 0400.
// Nothing a mount brings ends up in the step's layer; the mount points the runtime had to create
// are listed, so the layer leaves them out too (see layer-tar.ts).
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../errors'

export interface BuildSecret {
  id: string
  /** a file on the host, or the value of an environment variable */
  file?: string
  env?: string
}

export interface StepMounts {
  /** -v forms: SRC:DST[:ro] */
  volumes: string[]
  /** --tmpfs forms: DST[:size=N] */
  tmpfs: string[]
  /** absolute targets in the container */
  targets: string[]
}

export interface MountContext {
  contextDir: string
  /** where cache mounts live across builds */
  cacheRoot: string
  /** a scratch dir removed after the step */
  work: string
  secrets: Map<string, BuildSecret>
  /** the step's working dir, for relative targets */
  workdir: string
}

/** `--secret id=ID,src=PATH` | `id=ID,env=VAR` | `id=ID` (src defaults to the id as a path). */
export function parseBuildSecret(text: string): BuildSecret {
  const prefix = 'creating build executor'
  const fields = keyValues(text, '--secret')
  const id = fields.get('id')
  if (!id) throw new UsageError(`${prefix}: incorrect secret flag format: should be --secret id=foo,src=bar[,env=ENV,type=file|env]`)
  const type = fields.get('type')
  if (type !== undefined && type !== 'file' && type !== 'env') throw new UsageError(`${prefix}: incorrect secret flag format: should be --secret id=foo,src=bar[,env=ENV,type=file|env]`)
  if (fields.has('env') || type === 'env') return {id, env: fields.get('env') ?? fields.get('src') ?? id}
  const file = path.resolve(fields.get('src') ?? fields.get('source') ?? id)
  if (!fs.existsSync(file)) throw new UsageError(`${prefix}: could not parse secrets: stat ${file}: no such file or directory`)
  return {id, file}
}

function keyValues(text: string, what: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of text.split(',')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase()
    if (!key) throw new UsageError(`invalid ${what} option ${JSON.stringify(part)}`)
    out.set(key, eq < 0 ? 'true' : part.slice(eq + 1))
  }
  return out
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && value !== 'false'
}

/** A context path, refused when it (through a symlink or `..`) leads out of the context. */
function contextPath(contextDir: string, source: string): string {
  const root = fs.realpathSync(contextDir)
  const joined = path.join(root, path.posix.normalize(`/${source}`))
  let real: string
  try {
    real = fs.realpathSync(joined)
  } catch {
    throw new UsageError(`RUN --mount: source ${JSON.stringify(source)}: no such file or directory in the build context`)
  }
  if (real !== root && !real.startsWith(`${root}/`)) throw new UsageError(`RUN --mount: source ${JSON.stringify(source)} leads out of the build context`)
  return real
}

function secretFile(secret: BuildSecret, work: string, mode: number): string {
  const file = path.join(work, `secret-${crypto.randomBytes(6).toString('hex')}`)
  const data = secret.file !== undefined ? fs.readFileSync(secret.file) : Buffer.from(process.env[secret.env!] ?? '')
  fs.writeFileSync(file, data, {mode: 0o600})
  fs.chmodSync(file, mode)
  return file
}

const KEYS: Record<string, string[]> = {
  bind: ['type', 'target', 'dst', 'destination', 'source', 'src', 'ro', 'readonly', 'rw', 'readwrite', 'from'],
  cache: ['type', 'target', 'dst', 'destination', 'id', 'sharing', 'mode', 'uid', 'gid', 'ro', 'readonly', 'from', 'source', 'src'],
  tmpfs: ['type', 'target', 'dst', 'destination', 'size', 'tmpfs-size'],
  secret: ['type', 'target', 'dst', 'destination', 'id', 'required', 'mode', 'uid', 'gid'],
}

/** The mounts of one RUN's `--mount` flags. */
export function stepMounts(values: string[], ctx: MountContext): StepMounts {
  const out: StepMounts = {volumes: [], tmpfs: [], targets: []}
  for (const value of values) {
    const f = keyValues(value, '--mount')
    const type = f.get('type') ?? 'bind'
    if (!KEYS[type]) throw new UsageError(`RUN --mount: unsupported mount type ${JSON.stringify(type)}`)
    const unknown = [...f.keys()].find((k) => !KEYS[type].includes(k))
    if (unknown) throw new UsageError(`RUN --mount: unexpected key ${JSON.stringify(unknown)} for a ${type} mount`)
    if (f.has('from')) throw new UsageError('RUN --mount: from= (a stage or image as the source) is not supported by tspod build')
    for (const k of ['uid', 'gid'])
      if (f.has(k) && f.get(k) !== '0') throw new UsageError(`RUN --mount: ${k}=${f.get(k)} is not supported by tspod build (mounts belong to the container's root)`)
    let target = f.get('target') ?? f.get('dst') ?? f.get('destination')
    if (type === 'secret') target ??= `/run/secrets/${f.get('id') ?? ''}`
    if (!target) throw new UsageError(`RUN --mount ${value}: a target is required`)
    target = path.posix.resolve(ctx.workdir || '/', target)
    const readOnly = truthy(f.get('ro')) || truthy(f.get('readonly'))
    switch (type) {
      case 'bind': {
        const source = contextPath(ctx.contextDir, f.get('source') ?? f.get('src') ?? '.')
        const rw = truthy(f.get('rw')) || truthy(f.get('readwrite'))
        if (rw) {
          // writes to a rw bind are the step's own: they go to a copy that is dropped
          const copy = path.join(ctx.work, `bind-${crypto.randomBytes(6).toString('hex')}`)
          fs.cpSync(source, copy, {recursive: true, preserveTimestamps: true, verbatimSymlinks: true})
          out.volumes.push(`${copy}:${target}`)
        } else out.volumes.push(`${source}:${target}:ro`)
        break
      }
      case 'cache': {
        const sharing = f.get('sharing') ?? 'shared'
        if (!['shared', 'private', 'locked'].includes(sharing)) throw new UsageError(`RUN --mount: unrecognized sharing ${JSON.stringify(sharing)}`)
        if (f.has('source') || f.has('src')) throw new UsageError('RUN --mount: a cache mount\'s source= goes with from=, which tspod build does not support')
        const id = f.get('id') ?? target
        const dir = path.join(ctx.cacheRoot, crypto.createHash('sha256').update(id).digest('hex'))
        fs.mkdirSync(dir, {recursive: true, mode: 0o755})
        const mode = f.get('mode')
        if (mode !== undefined) {
          if (!/^[0-7]{1,4}$/.test(mode)) throw new UsageError(`RUN --mount: invalid mode ${JSON.stringify(mode)}`)
          fs.chmodSync(dir, parseInt(mode, 8))
        }
        out.volumes.push(`${dir}:${target}${readOnly ? ':ro' : ''}`)
        break
      }
      case 'tmpfs': {
        const size = f.get('size') ?? f.get('tmpfs-size')
        if (size !== undefined && !/^\d+[kmgKMG]?$/.test(size)) throw new UsageError(`RUN --mount: invalid tmpfs size ${JSON.stringify(size)}`)
        out.tmpfs.push(size ? `${target}:size=${size}` : target)
        break
      }
      case 'secret': {
        const id = f.get('id') ?? path.posix.basename(target)
        const secret = ctx.secrets.get(id)
        if (!secret) {
          if (truthy(f.get('required'))) throw new UsageError(`RUN --mount: secret ${JSON.stringify(id)} is required but was not given to the build (--secret id=${id},src=FILE)`)
          continue
        }
        const mode = f.get('mode') ?? '0400'
        if (!/^[0-7]{1,4}$/.test(mode)) throw new UsageError(`RUN --mount: invalid mode ${JSON.stringify(mode)}`)
        out.volumes.push(`${secretFile(secret, ctx.work, parseInt(mode, 8))}:${target}:ro`)
        break
      }
    }
    out.targets.push(target)
  }
  return out
}
