// `--mount type=TYPE,KEY=VALUE,...` (Podman's long form of -v and --tmpfs), rewritten into the
// -v and --tmpfs forms, which parse and check them as for those flags. Types bind, volume and
// tmpfs; image, devpts and glob mounts are not there in tspod.
import {UsageError} from '../errors'

export interface MountFlagForms {
  volumes: string[]
  tmpfs: string[]
}

const BAD_OPTION = 'invalid mount option'

function boolOption(key: string, value: string | undefined): boolean {
  if (value === undefined || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false
  throw new UsageError(`invalid value for ${key}: ${JSON.stringify(value)}: ${BAD_OPTION}`)
}

/** One --mount value in -v ([SRC:]DST[:OPTIONS]) or --tmpfs (DST[:OPTIONS]) syntax. */
export function mountFlagForm(value: string): {volume?: string; tmpfs?: string} {
  let type: string | undefined
  let source: string | undefined
  let destination: string | undefined
  const options: string[] = []
  for (const field of value.split(',')) {
    const eq = field.indexOf('=')
    const key = (eq < 0 ? field : field.slice(0, eq)).trim()
    const val = eq < 0 ? undefined : field.slice(eq + 1)
    switch (key) {
      case 'type':
        type = val
        break
      case 'source':
      case 'src':
        source = val
        break
      case 'destination':
      case 'dst':
      case 'target':
        destination = val
        break
      case 'ro':
      case 'readonly':
        if (boolOption(key, val)) options.push('ro')
        break
      case 'rw':
        if (boolOption(key, val)) options.push('rw')
        break
      case 'bind-propagation':
        options.push(val ?? '')
        break
      case 'relabel':
        options.push(val === 'private' ? 'Z' : 'z')
        break
      case 'U':
      case 'z':
      case 'Z':
      case 'nosuid':
      case 'suid':
      case 'nodev':
      case 'dev':
      case 'noexec':
      case 'exec':
        options.push(key)
        break
      case 'tmpfs-size':
        options.push(`size=${val ?? ''}`)
        break
      case 'tmpfs-mode':
        options.push(`mode=${val ?? ''}`)
        break
      default:
        throw new UsageError(`${JSON.stringify(key)}: ${BAD_OPTION}`)
    }
  }
  if (type === undefined) throw new UsageError('--mount: type must be specified (bind, volume or tmpfs)')
  if (!destination) throw new UsageError('must set volume destination')
  const opts = options.length > 0 ? `:${options.join(',')}` : ''
  switch (type) {
    case 'bind':
      if (!source) throw new UsageError('invalid mount option: a bind mount needs source=PATH')
      return {volume: `${source}:${destination}${opts}`}
    case 'volume':
      return {volume: source ? `${source}:${destination}${opts}` : `${destination}${opts === '' ? '' : `:${opts.slice(1)}`}`}
    case 'tmpfs':
      if (source) throw new UsageError(`source is not supported with tmpfs mounts: ${BAD_OPTION}`)
      return {tmpfs: `${destination}${opts}`}
    case 'image':
    case 'devpts':
    case 'glob':
      throw new UsageError(`--mount type=${type} is not supported by tspod: use bind, volume or tmpfs`)
    default:
      throw new UsageError(`invalid filesystem type ${JSON.stringify(type)}`)
  }
}

/** Every --mount in the -v and --tmpfs forms. */
export function mountFlagForms(values: string[]): MountFlagForms {
  const out: MountFlagForms = {volumes: [], tmpfs: []}
  for (const value of values) {
    const form = mountFlagForm(value)
    if (form.volume !== undefined) out.volumes.push(form.volume)
    if (form.tmpfs !== undefined) out.tmpfs.push(form.tmpfs)
  }
  return out
}
