// `volume create --opt KEY=VALUE` as Podman reads them (pkg/domain/infra/abi/parse
// VolumeOptions, libpod newVolume's checks for the "local" driver). A local volume is a plain
// directory, optionally owned by a given uid/gid, with or without copy-up; or, with `type` and
// `device`, a filesystem mounted for the containers that use it: tspod mounts `type=bind` (the
// device dir) and `type=tmpfs`, which a rootless user can mount; other types and quotas
// (o=size, o=inodes on a plain volume) are refused rather than stored and ignored.
import * as fs from 'node:fs'

import {UsageError} from '../../errors'
import {systemErrorText} from '../spec/system-error'

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
  const typeKey = Object.keys(given).find((k) => k.toLowerCase() === 'type')
  const type = typeKey === undefined ? undefined : given[typeKey].toLowerCase()
  if (type !== undefined && type !== 'bind' && type !== 'tmpfs')
    throw unsupported(`type=${given[typeKey!]}`, 'rootless volumes can only mount type=bind and type=tmpfs')
  // mount options go to the filesystem of a volume with a type (size= and mode= to a tmpfs)
  const mounted = type !== undefined
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
          } else if (mounted && mountOption(type!, name)) {
            kept.push(part)
          } else if (name === 'size' || name === 'inodes') {
            throw unsupported(`o=${part}`, 'volume quotas')
          } else if (mounted) {
            throw unsupported(`o=${part}`, `not a ${type} mount option tspod knows`)
          } else {
            throw unsupported(`o=${part}`, 'local volumes without a type are plain directories, never mounted with options')
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
        options[key] = value
        break
      case 'device':
        if (!mounted) throw unsupported(`${key}=${value}`, 'a device is mounted only with a type (type=bind or type=tmpfs)')
        if (type === 'bind') {
          try {
            fs.statSync(value)
          } catch (err) {
            throw new UsageError(`invalid volume option ${key} for driver 'local': stat ${value}: ${systemErrorText(err)}`)
          }
        }
        options[key] = value
        break
      default:
        throw new UsageError(`invalid mount option ${key} for driver 'local': invalid argument`)
    }
  }
  return {options, uid, gid}
}

/** The mount(8) options tspod passes on for a volume of that type. */
const MOUNT_OPTIONS: Record<string, string[]> = {
  common: ['ro', 'rw', 'nosuid', 'suid', 'nodev', 'dev', 'noexec', 'exec', 'noatime', 'relatime', 'strictatime'],
  bind: ['bind', 'rbind'],
  tmpfs: ['size', 'mode', 'nr_inodes', 'nr_blocks', 'uid', 'gid'],
}

function mountOption(type: string, name: string): boolean {
  return MOUNT_OPTIONS.common.includes(name) || (MOUNT_OPTIONS[type] ?? []).includes(name)
}

/** A volume mounted for its containers (`type`): what is mounted, where from, with which options. */
export interface VolumeFilesystem {
  type: 'bind' | 'tmpfs'
  device: string
  options: string[]
}

/** The filesystem of a volume created with a type, or undefined for a plain directory. */
export function volumeFilesystem(options: Record<string, string>): VolumeFilesystem | undefined {
  const get = (name: string) => Object.entries(options).find(([k]) => k.toLowerCase() === name)?.[1]
  const type = get('type')?.toLowerCase()
  if (type !== 'bind' && type !== 'tmpfs') return undefined
  const o = (get('o') ?? '').split(',').filter((part) => part !== '')
  return {type, device: get('device') ?? (type === 'tmpfs' ? 'tmpfs' : ''), options: o}
}

/** A volume created with `-o nocopy` never gets the image's contents copied in. */
export function hasNoCopy(options: Record<string, string>): boolean {
  return Object.keys(options).some((k) => k.toLowerCase() === 'nocopy')
}
