// RUN --mount (BuildKit's syntax, as buildah takes it) and `build --secret`, turned into the bind
// and tmpfs mounts of the step's container:
// - type=bind (the default): a path of the build context, or with `from` of a stage's or an
//   image's root, read-only unless `rw` (then a scratch copy, so writes are dropped with the step);
// - type=cache: a dir kept in the store across builds, keyed by `id` (default: the target), made
//   with `mode` (0755) and owned by `uid`:`gid` (0:0) of the container when new; `sharing=locked`
//   lets one step at a time use it; with `from`, a stage's path in place of the kept dir;
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
  /** cache dirs made by this call, to be owned by uid:gid of the container */
  chowns: {dir: string; uid: number; gid: number}[]
  /** lock files of sharing=locked caches, held while the step runs */
  locks: string[]
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
  /** a `from=` mount's source, by the flag's value: a scratch copy of the stage's or image's path */
  fromSources?: Map<string, string>
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

export function keyValues(text: string, what: string): Map<string, string> {
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

function idNumber(f: Map<string, string>, key: 'uid' | 'gid'): number {
  const text = f.get(key)
  if (text === undefined) return 0
  if (!/^\d+$/.test(text)) throw new UsageError(`RUN --mount: unable to parse cache ${key}: ${JSON.stringify(text)} is not a number`)
  return Number(text)
}

/** The mounts of one RUN's `--mount` flags. */
export function stepMounts(values: string[], ctx: MountContext): StepMounts {
  const out: StepMounts = {volumes: [], tmpfs: [], targets: [], chowns: [], locks: []}
  for (const value of values) {
    const f = keyValues(value, '--mount')
    const type = f.get('type') ?? 'bind'
    if (!KEYS[type]) throw new UsageError(`RUN --mount: unsupported mount type ${JSON.stringify(type)}`)
    const unknown = [...f.keys()].find((k) => !KEYS[type].includes(k))
    if (unknown) throw new UsageError(`RUN --mount: unexpected key ${JSON.stringify(unknown)} for a ${type} mount`)
    const from = f.get('from')
    const fromSource = from === undefined ? undefined : ctx.fromSources?.get(value)
    if (from !== undefined && fromSource === undefined) throw new UsageError(`RUN --mount: no stage or image ${JSON.stringify(from)} to mount from`)
    let target = f.get('target') ?? f.get('dst') ?? f.get('destination')
    if (type === 'secret') target ??= `/run/secrets/${f.get('id') ?? ''}`
    if (!target) throw new UsageError(`RUN --mount ${value}: a target is required`)
    target = path.posix.resolve(ctx.workdir || '/', target)
    const readOnly = truthy(f.get('ro')) || truthy(f.get('readonly'))
    switch (type) {
      case 'bind': {
        const rw = truthy(f.get('rw')) || truthy(f.get('readwrite'))
        if (fromSource !== undefined) {
          // already a scratch copy of the stage's or image's path: writes are dropped with it
          out.volumes.push(`${fromSource}:${target}${rw ? '' : ':ro'}`)
          break
        }
        const source = contextPath(ctx.contextDir, f.get('source') ?? f.get('src') ?? '.')
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
        if (sharing !== 'shared' && sharing !== 'locked') throw new UsageError(`RUN --mount: unrecognized value ${JSON.stringify(sharing)} for field \`sharing\``)
        const mode = f.get('mode') ?? '755'
        if (!/^[0-7]{1,4}$/.test(mode)) throw new UsageError(`RUN --mount: unable to parse cache mode: ${JSON.stringify(mode)} is not an octal number`)
        const uid = idNumber(f, 'uid')
        const gid = idNumber(f, 'gid')
        if (fromSource !== undefined) {
          // the step's own copy: nothing to share or lock
          out.volumes.push(`${fromSource}:${target}${readOnly ? ':ro' : ''}`)
          break
        }
        if ((f.has('source') || f.has('src')) && from === undefined) throw new UsageError("RUN --mount: a cache mount's source= needs from=")
        const id = f.get('id') ?? target
        const dir = path.join(ctx.cacheRoot, crypto.createHash('sha256').update(id).digest('hex'))
        if (!fs.existsSync(dir)) {
          // as buildah: mode and owner are a new cache's; an existing one is kept as it is
          fs.mkdirSync(ctx.cacheRoot, {recursive: true, mode: 0o700})
          fs.mkdirSync(dir, {mode: 0o700})
          fs.chmodSync(dir, parseInt(mode, 8))
          if (uid !== 0 || gid !== 0) out.chowns.push({dir, uid, gid})
        }
        // beside the dir, not in it: the dir may belong to an id of the namespace that is not ours
        if (sharing === 'locked') out.locks.push(`${dir}.lock`)
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
        for (const k of ['uid', 'gid'])
          if (f.has(k) && f.get(k) !== '0') throw new UsageError(`RUN --mount: ${k}=${f.get(k)} is not supported by tspod build for a secret (it belongs to the container's root)`)
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
