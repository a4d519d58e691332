// File capabilities (`security.capability`, struct vfs_cap_data in linux/capability.h): a
// little-endian magic_etc (revision in the top byte, bit 0 = effective), then permitted and
// inheritable words (one pair in revision 1, two in revisions 2 and 3; 3 adds the rootid).
import {native} from '../../native'

export const CAP_SETGID = 6
export const CAP_SETUID = 7

const VFS_CAP_REVISION_MASK = 0xff000000
const VFS_CAP_FLAGS_EFFECTIVE = 0x000001
const SIZES: Record<number, number> = {0x01000000: 12, 0x02000000: 20, 0x03000000: 24}

export interface FileCapabilities {
  permitted: bigint
  effective: boolean
  /** revision 3: the namespace root the capabilities apply to */
  rootId?: number
}

export function decodeFileCapabilities(value: Buffer): FileCapabilities | undefined {
  if (value.length < 4) return undefined
  const magic = value.readUInt32LE(0)
  const revision = (magic & VFS_CAP_REVISION_MASK) >>> 0
  const size = SIZES[revision]
  if (size === undefined || value.length < size) return undefined
  let permitted = BigInt(value.readUInt32LE(4))
  if (revision !== 0x01000000) permitted |= BigInt(value.readUInt32LE(12)) << 32n
  return {
    permitted,
    effective: (magic & VFS_CAP_FLAGS_EFFECTIVE) !== 0,
    rootId: revision === 0x03000000 ? value.readUInt32LE(20) : undefined,
  }
}

export function readFileCapabilities(file: string): FileCapabilities | undefined {
  const value = native().getxattr(file, 'security.capability')
  return value === null ? undefined : decodeFileCapabilities(value)
}

/** The capability is permitted and raised at exec (`cap_xxx+ep`). */
export function grants(caps: FileCapabilities | undefined, cap: number): boolean {
  return caps !== undefined && caps.effective && (caps.permitted & (1n << BigInt(cap))) !== 0n
}
