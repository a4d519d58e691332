// `volume create --opt KEY=VALUE` as Podman reads them (pkg/domain/infra/abi/parse
// VolumeOptions, libpod newVolume's checks for the "local" driver), limited to what tspod's
// local volumes do: a plain directory, optionally owned by a given uid/gid, with or without
// copy-up. Options that would mount a filesystem (type, device, o=<mount options>) or set a
// quota (o=size, o=inodes) are refused rather than stored and ignored.
import {UsageError} from '../../errors'

export interface CreateOptions {
  /** the options as `volume inspect` shows them (Podman's shape: "o", plus "UID"/"GID"/"NOQUOTA") */
  options: Record<string, string>
  uid?: number
  gid?: number
}

function unsupported(option: string, reason: string): UsageError {
  return new UsageError(`volume option ${JSON.stringify(option)} is not supported by tspod (${reason})`)
}

function parseId(kind: 'UID' | 'GID', value: string | undefined): number {
  const flag = kind.toLowerCase()
  if (value === undefined) throw new UsageError(`${flag} option must provide a ${kind}: invalid argument`)
  if (!/^[+-]?\d+$/.test(value)) throw new UsageError(`cannot convert ${kind} ${value} to integer: strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`)
  const id = Number(value)
  if (id < 0 || id > 0xfffffffe) throw new UsageError(`invalid ${kind} ${value}: must be between 0 and 4294967294`)
  return id
}

/** Podman's `-o` parsing into key/value pairs (parse.GetAllLabels): "k=v", or "k" with an empty value. */
export function parseKeyValues(specs: string[], what: 'labels' | 'options'): Record<string, string> {
  const out: Record<string, string> = {}
  for (const spec of specs) {
    const i = spec.indexOf('=')
    const key = i < 0 ? spec : spec.slice(0, i)
    if (key === '') throw new UsageError(`unable to process ${what}: invalid label format: ${JSON.stringify(spec)}`)
    out[key] = i < 0 ? '' : spec.slice(i + 1)
  }
  return out
}

/** Check and normalise the driver options of a local volume. */
export function parseCreateOptions(given: Record<string, string>, ids: {uid?: number; gid?: number} = {}): CreateOptions {
  const options: Record<string, string> = {}
  let {uid, gid} = ids
  for (const [key, value] of Object.entries(given)) {
    switch (key.toLowerCase()) {
      case 'o': {
        const kept: string[] = []
        for (const part of value.split(',')) {
          const i = part.indexOf('=')
          const name = (i < 0 ? part : part.slice(0, i)).toLowerCase()
          const arg = i < 0 ? undefined : part.slice(i + 1)
          if (name === 'uid') {
            uid = parseId('UID', arg)
            options.UID = arg!
            kept.push(part)
          } else if (name === 'gid') {
            gid = parseId('GID', arg)
            options.GID = arg!
            kept.push(part)
          } else if (name === 'noquota') {
            options.NOQUOTA = 'true'
          } else if (name === 'size' || name === 'inodes') {
            throw unsupported(`o=${part}`, 'volume quotas')
          } else {
            throw unsupported(`o=${part}`, 'local volumes are plain directories, never mounted with options')
          }
        }
        if (kept.length > 0) options[key] = kept.join(',')
        break
      }
      case 'copy':
      case 'nocopy':
        options[key] = value
        break
      case 'type':
      case 'device':
        throw unsupported(`${key}=${value}`, 'local volumes are plain directories, never mounted filesystems')
      default:
        throw new UsageError(`invalid mount option ${key} for driver 'local': invalid argument`)
    }
  }
  return {options, uid, gid}
}

/** A volume created with `-o nocopy` never gets the image's contents copied in. */
export function hasNoCopy(options: Record<string, string>): boolean {
  return Object.keys(options).some((k) => k.toLowerCase() === 'nocopy')
}
