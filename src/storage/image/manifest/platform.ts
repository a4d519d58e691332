// Choosing the image for this machine (or an asked-for platform) from a manifest list or image
// index, with containers/image's rules (internal/pkg/platform): an exact os/architecture/variant
// match, trying compatible variants from the most to the least capable, and in an image index
// entries without a platform as a last resort.
import {readFileSync} from 'node:fs'

import {TspodError} from '../../../errors'
import type {Platform} from '../transports/types'
import {ANNOTATION_ZSTD_INSTANCE, MEDIA_TYPE_DOCKER_MANIFEST_LIST} from './media-types'
import {ManifestList, ManifestListInstance} from './types'

const GO_ARCHITECTURES: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le', // Node runs only little-endian on Linux ppc64
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips64el: 'mips64le',
  mipsel: 'mipsle',
  mips: 'mips',
}

/** Known variants of an architecture, most capable first. */
const VARIANT_COMPATIBILITY: Record<string, string[]> = {
  arm: ['v8', 'v7', 'v6', 'v5'],
  arm64: ['v8'],
}

/** Go's GOARCH name for a Node process.arch: "x64" → "amd64". */
export function goArchitecture(nodeArch: string = process.arch): string {
  return GO_ARCHITECTURES[nodeArch] ?? nodeArch
}

function cpuInfoField(cpuinfo: string, name: string): string | undefined {
  for (const line of cpuinfo.split('\n')) {
    const parts = line.split(':')
    if (parts.length > 1 && parts[0].trim().toLowerCase() === name.toLowerCase()) return parts[1].trim()
  }
  return undefined
}

/** The ARM variant ("v8", "v7", …) from /proc/cpuinfo text, as containers/image derives it; "" when unknown. */
export function armVariantFromCpuInfo(cpuinfo: string): string {
  const architecture = cpuInfoField(cpuinfo, 'Cpu architecture')
  if (architecture === undefined) return ''
  switch (architecture.toLowerCase()) {
    case '8':
    case 'aarch64':
      return 'v8'
    case '7m':
    case '?(12)':
    case '?(13)':
    case '?(14)':
    case '?(15)':
    case '?(16)':
    case '?(17)':
      return 'v7'
    case '7': {
      // the Raspberry Pi Zero reports 7 for an ARMv6 core
      const model = cpuInfoField(cpuinfo, 'model name')
      if (model === undefined) return ''
      return model.toLowerCase().startsWith('armv6-compatible') ? 'v6' : 'v7'
    }
    case '6':
    case '6tej':
      return 'v6'
    case '5':
    case '5t':
    case '5te':
    case '5tej':
      return 'v5'
    case '4':
    case '4t':
      return 'v4'
    case '3':
      return 'v3'
    default:
      return ''
  }
}

function hostVariant(architecture: string): string {
  if (architecture !== 'arm' && architecture !== 'arm64') return ''
  try {
    return armVariantFromCpuInfo(readFileSync('/proc/cpuinfo', 'utf8'))
  } catch {
    return ''
  }
}

/** This machine as an image platform: os "linux", the Go architecture, and the ARM variant when there is one. */
export function hostPlatform(): Platform {
  const architecture = goArchitecture()
  const variant = hostVariant(architecture)
  return {os: 'linux', architecture, ...(variant ? {variant} : {})}
}

/**
 * The platforms an image may have to run here (or as asked), most preferred first. The variant is
 * detected only when the architecture is not chosen; a chosen variant falls back to less capable
 * known ones and then to none, no variant falls back to every known one.
 */
export function wantedPlatforms(choice: Partial<Platform> = {}, host: () => Platform = hostPlatform): Platform[] {
  let architecture: string
  let variant = ''
  if (choice.architecture) {
    architecture = choice.architecture
  } else {
    const detected = host()
    architecture = detected.architecture
    variant = detected.variant ?? ''
  }
  if (choice.variant) variant = choice.variant
  const os = choice.os || 'linux'

  let variants: string[]
  const known = VARIANT_COMPATIBILITY[architecture]
  if (variant !== '') {
    const i = known ? known.indexOf(variant) : -1
    variants = [...(i >= 0 ? known!.slice(i) : [variant]), '']
  } else {
    variants = ['', ...(known ?? [])]
  }
  return variants.map((v) => ({os, architecture, ...(v ? {variant: v} : {})}))
}

function matches(instance: ManifestListInstance, wanted: Platform): boolean {
  const p = instance.platform
  if (!p) return false
  return p.architecture === wanted.architecture && p.os === wanted.os && (p.variant ?? '') === (wanted.variant ?? '')
}

export interface ChooseInstanceOptions {
  /**
   * Prefer an instance marked as zstd-compressed over an equally good gzip one (containers/image's
   * default). Off by default: zstd layers need an optional decompressor here.
   */
  preferZstd?: boolean
  /** for tests: the machine's platform */
  host?: () => Platform
}

/**
 * The instance of a manifest list or image index to use for the wanted platform (ImageContext.platform
 * fields override the host's). Throws containers/image's "no image found in …" error when none fits.
 */
export function chooseInstance(list: ManifestList, choice: Partial<Platform> = {}, options: ChooseInstanceOptions = {}): ManifestListInstance {
  const wanted = wantedPlatforms(choice, options.host)
  const isDockerList = list.mediaType === MEDIA_TYPE_DOCKER_MANIFEST_LIST
  let best: {instance: ManifestListInstance; rank: number; zstd: boolean} | undefined
  for (const instance of list.instances) {
    let rank: number
    if (instance.platform) {
      rank = wanted.findIndex((w) => matches(instance, w))
      if (rank < 0) continue
    } else if (isDockerList) {
      continue // a Docker list entry always has a platform; an empty one matches nothing
    } else {
      rank = Number.MAX_SAFE_INTEGER
    }
    const zstd = instance.annotations?.[ANNOTATION_ZSTD_INSTANCE] === 'true'
    const better =
      !best || rank < best.rank || (rank === best.rank && zstd !== best.zstd && zstd === Boolean(options.preferZstd))
    if (better) best = {instance, rank, zstd}
  }
  if (best) return best.instance
  const first = wanted[0]
  const kind = isDockerList ? 'manifest list' : 'image index'
  throw new TspodError(
    `no image found in ${kind} for architecture ${JSON.stringify(first.architecture)}, variant ${JSON.stringify(first.variant ?? '')}, OS ${JSON.stringify(first.os)}`,
  )
}
