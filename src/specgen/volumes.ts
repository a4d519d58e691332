// `-v/--volume` and `--tmpfs` as Podman parses them (specgen.GenVolumeMounts, getTmpfsMounts,
// containers/common parse.ValidateVolumeOpts), with Podman's messages, and the completion of a
// mount's options for config.json (pkg/util ProcessOptions) that create applies to them later.
// A host path becomes a bind mount; a name (or no source) a named (anonymous) volume, which the
// runtime, owner of volume storage, turns into a bind mount of the volume's dir.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../errors'
import {MountFlags, mountFlagsOf} from '../runtime/spec/host-mount-flags'
import {systemErrorText} from '../runtime/spec/system-error'
import type {BindMountSpec, MountSpec, TmpfsMountSpec, VolumeMountSpec} from './container-spec'

export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/
const VOLUME_FORMAT_ERROR = 'incorrect volume format, should be [host-dir:]ctr-dir[:option]'
const DUPLICATE_DEST = 'duplicate mount destination'
const BAD_OPTION = 'invalid mount option'
const DUPLICATE_OPTION = 'duplicate mount option passed'

/** Podman's ValidateVolumeCtrDir; returns the cleaned path. */
export function validateContainerDir(dir: string): string {
  if (dir === '') throw new UsageError('container directory cannot be empty')
  if (!path.posix.isAbsolute(dir)) throw new UsageError(`invalid container path ${JSON.stringify(dir)}, must be an absolute path`)
  const clean = path.posix.normalize(dir)
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean
}

/** Options tspod cannot honour: overlay volumes, id-mapped mounts. */
function unsupportedOption(option: string): string | undefined {
  if (option === 'O' || option.includes('upperdir') || option.includes('workdir')) return 'overlay volumes'
  if (option.startsWith('idmap')) return 'id-mapped mounts'
  return undefined
}

/** containers/common ValidateVolumeOpts: the `-v` option list, at most one of each kind. */
export function validateVolumeOptions(options: string[]): string[] {
  const kinds: [string[], string][] = [
    [['noexec', 'exec'], "1 'noexec' or 'exec' option"],
    [['nodev', 'dev'], "1 'nodev' or 'dev' option"],
    [['nosuid', 'suid'], "1 'nosuid' or 'suid' option"],
    [['rw', 'ro'], "1 'rw' or 'ro' option"],
    [['z', 'Z', 'O'], "1 'z', 'Z', or 'O' option"],
    [['U'], "1 'U' option"],
    [['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'], "1 '[r]shared', '[r]private', '[r]slave' or '[r]unbindable' option"],
    [['bind', 'rbind'], "1 '[r]bind' option"],
    [['copy', 'nocopy'], "1 'copy' or 'nocopy' option"],
    [['no-dereference'], "1 'no-dereference' option"],
  ]
  const seen = new Map<string, number>()
  const out: string[] = []
  for (const option of options) {
    const unsupported = unsupportedOption(option)
    if (unsupported) throw new UsageError(`volume option ${JSON.stringify(option)} is not supported by tspod (${unsupported})`)
    if (option === 'cached' || option === 'delegated') continue // macOS-only, dropped as Docker does
    const kind = kinds.find(([names]) => names.includes(option))
    if (!kind) throw new UsageError(`invalid option type ${JSON.stringify(option)}`)
    const count = (seen.get(kind[1]) ?? 0) + 1
    seen.set(kind[1], count)
    if (count > 1) throw new UsageError(`invalid options ${JSON.stringify(options.join(', '))}, can only specify ${kind[1]}`)
    out.push(option)
  }
  return out
}

export interface MountOptionsContext {
  tmpfs: boolean
  /** a bind mount's host source: its mount's nosuid/nodev/noexec become defaults */
  source?: string
  /** for tests: flags of the source's host mount */
  flagsOf?: (realPath: string) => MountFlags
}

function sourceFlags(source: string, flagsOf: (p: string) => MountFlags): MountFlags {
  let real: string
  try {
    real = fs.realpathSync(source)
  } catch (err) {
    throw new UsageError(`statfs ${source}: ${systemErrorText(err)}`, {code: (err as NodeJS.ErrnoException).code, path: source, cause: err})
  }
  return flagsOf(real)
}

/**
 * Podman's ProcessOptions: check a bind or tmpfs mount's options and complete them for the
 * spec (propagation rprivate, the source mount's nosuid/nodev/noexec, rbind). SELinux labels
 * (z, Z) and the volume-only copy/nocopy/nocreate do not reach the runtime.
 */
export function processMountOptions(options: string[], context: MountOptionsContext): string[] {
  const {tmpfs} = context
  const found = new Set<string>()
  const once = (kind: string, message: string): void => {
    if (found.has(kind)) throw new UsageError(`${message}: ${DUPLICATE_OPTION}`)
    found.add(kind)
  }
  const tmpfsOnly = (name: string): void => {
    if (!tmpfs) throw new UsageError(`the '${name}' option is only allowed with tmpfs mounts: ${BAD_OPTION}`)
  }
  let recursiveBind = true
  const out: string[] = []
  for (const option of options) {
    const key = option.split('=')[0]
    const unsupported = unsupportedOption(option)
    if (unsupported) throw new UsageError(`mount option ${JSON.stringify(option)} is not supported by tspod (${unsupported})`)
    switch (key) {
      case 'exec':
      case 'noexec':
        once('exec', "only one of 'noexec' and 'exec' can be used")
        break
      case 'suid':
      case 'nosuid':
        once('suid', "only one of 'nosuid' and 'suid' can be used")
        break
      case 'dev':
      case 'nodev':
        once('dev', "only one of 'nodev' and 'dev' can be used")
        break
      case 'rw':
      case 'ro':
        once('write', "only one of 'rw' and 'ro' can be used")
        break
      case 'private':
      case 'rprivate':
      case 'slave':
      case 'rslave':
      case 'shared':
      case 'rshared':
      case 'unbindable':
      case 'runbindable':
        once('propagation', 'only one root propagation mode can be used')
        break
      case 'size':
        tmpfsOnly('size')
        once('size', 'only one tmpfs size can be specified')
        break
      case 'mode':
        tmpfsOnly('mode')
        once('mode', 'only one tmpfs mode can be specified')
        break
      case 'noatime':
        tmpfsOnly('noatime')
        break
      case 'tmpcopyup':
        tmpfsOnly('tmpcopyup')
        once('copyup', "the 'tmpcopyup' or 'notmpcopyup' option can only be set once")
        break
      case 'notmpcopyup':
        tmpfsOnly('notmpcopyup')
        once('copyup', "the 'tmpcopyup' or 'notmpcopyup' option can only be set once")
        continue
      case 'bind':
      case 'rbind':
        if (tmpfs) throw new UsageError(`the 'bind' and 'rbind' options are not allowed with tmpfs mounts: ${BAD_OPTION}`)
        once('bind', "only one of 'rbind' and 'bind' can be used")
        if (key === 'bind') recursiveBind = false
        break
      case 'z':
      case 'Z':
        if (tmpfs) throw new UsageError(`the 'z' and 'Z' options are not allowed with tmpfs mounts: ${BAD_OPTION}`)
        once('z', "only one of 'z' and 'Z' can be used")
        continue
      case 'copy':
      case 'nocopy':
        once('copy', "only one of 'nocopy' and 'copy' can be used")
        continue
      case 'no-dereference':
        once('no-dereference', "the 'no-dereference' option can only be set once")
        continue
      case 'U':
        // done by tspod before each start (runtime/volume/chown-sources.ts), not a mount option
        once('U', "the 'U' option can only be set once")
        continue
      case 'nocreate':
      case 'consistency':
        continue
      default:
        throw new UsageError(`unknown mount option ${JSON.stringify(option)}: ${BAD_OPTION}`)
    }
    out.push(option)
  }
  if (!found.has('propagation')) out.push(recursiveBind ? 'rprivate' : 'private')
  const defaults = context.source ? sourceFlags(context.source, context.flagsOf ?? ((p) => mountFlagsOf(p))) : {noexec: false, nosuid: true, nodev: true}
  if (!found.has('exec') && defaults.noexec) out.push('noexec')
  if (!found.has('suid') && defaults.nosuid) out.push('nosuid')
  if (!found.has('dev') && defaults.nodev) out.push('nodev')
  if (!tmpfs && !found.has('bind')) out.push('rbind')
  // Podman's default: a tmpfs starts with what the image has at its destination
  if (tmpfs && !found.has('copyup')) out.push('tmpcopyup')
  return out
}

function relativeSource(src: string, cwd: string): string {
  try {
    return fs.realpathSync(path.resolve(cwd, src))
  } catch (err) {
    throw new UsageError(`lstat ${src}: ${systemErrorText(err)}`, {code: (err as NodeJS.ErrnoException).code, path: src, cause: err})
  }
}

/** A bind source must exist when the container is created (Podman's statfs of it). */
function checkSource(source: string): void {
  try {
    fs.realpathSync(source)
  } catch (err) {
    throw new UsageError(`statfs ${source}: ${systemErrorText(err)}`, {code: (err as NodeJS.ErrnoException).code, path: source, cause: err})
  }
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? [])
}

/**
 * `-v [SRC:]DST[:OPTIONS]`: SRC an absolute host path (or ./relative to `cwd`) for a bind
 * mount, a name for a named volume; DST alone for an anonymous volume. Binds come first, then
 * volumes, each in the order given; an identical repeat is dropped.
 */
export function parseVolumes(specs: string[], context: {cwd: string}): (BindMountSpec | VolumeMountSpec)[] {
  const binds = new Map<string, BindMountSpec>()
  const volumes = new Map<string, VolumeMountSpec>()
  for (const spec of specs) {
    const parts = spec.split(':')
    if (parts.length > 3) throw new UsageError(`${spec}: ${VOLUME_FORMAT_ERROR}`)
    let src = parts.length === 1 ? '' : parts[0]
    const rawDest = parts.length === 1 ? parts[0] : parts[1]
    const options = parts.length > 2 ? validateVolumeOptions(parts[2].split(',')) : []
    if (parts.length > 1 && src === '') throw new UsageError('host directory cannot be empty')
    const destination = validateContainerDir(rawDest)

    if (src.startsWith('/') || src.startsWith('.')) {
      if (src.startsWith('.')) src = relativeSource(src, context.cwd)
      else checkSource(src)
      const mount: BindMountSpec = {type: 'bind', source: src, destination, options}
      const existing = binds.get(destination)
      if (existing) {
        if (existing.source === mount.source && sameList(existing.options, mount.options)) continue
        throw new UsageError(`${destination}: ${DUPLICATE_DEST}`)
      }
      binds.set(destination, mount)
      continue
    }

    if (src !== '' && !VOLUME_NAME_PATTERN.test(src))
      throw new UsageError(`creating named volume ${JSON.stringify(src)}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument`)
    const existing = volumes.get(destination)
    if (existing) {
      if (existing.name === src) continue
      throw new UsageError(`${destination}: ${DUPLICATE_DEST}`)
    }
    volumes.set(destination, {type: 'volume', name: src, destination, options})
  }
  for (const destination of binds.keys()) {
    if (volumes.has(destination)) throw new UsageError(`${destination}: ${DUPLICATE_DEST}`)
  }
  return [...binds.values(), ...volumes.values()]
}

/** `--tmpfs DST[:OPTIONS]`: tmpfs mounts, holding a copy of what the image has there unless notmpcopyup. */
export function parseTmpfs(specs: string[]): TmpfsMountSpec[] {
  const mounts = new Map<string, {mount: TmpfsMountSpec; complete: string[]}>()
  for (const spec of specs) {
    const colon = spec.indexOf(':')
    const destination = validateContainerDir(colon < 0 ? spec : spec.slice(0, colon))
    const options = colon < 0 ? [] : spec.slice(colon + 1).split(',')
    const complete = processMountOptions(options, {tmpfs: true})
    const existing = mounts.get(destination)
    if (existing) {
      if (sameList(existing.complete, complete)) continue
      throw new UsageError(`${destination}: ${DUPLICATE_DEST}`)
    }
    mounts.set(destination, {mount: {type: 'tmpfs', destination, options}, complete})
  }
  return [...mounts.values()].map((m) => m.mount)
}

/** -v and --tmpfs together; a tmpfs where a -v mounts something is refused. */
export function parseMounts(volumes: string[], tmpfs: string[], context: {cwd: string}): MountSpec[] {
  const mounts: MountSpec[] = parseVolumes(volumes, context)
  const taken = new Set(mounts.map((m) => m.destination))
  for (const mount of parseTmpfs(tmpfs)) {
    if (taken.has(mount.destination)) throw new UsageError(`${mount.destination}: ${DUPLICATE_DEST}`)
    mounts.push(mount)
  }
  return mounts
}
