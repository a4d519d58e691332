// POSIX access ACLs as the kernel stores them in the `system.posix_acl_access` xattr
// (include/uapi/linux/posix_acl_xattr.h): a little-endian u32 version (2), then entries of
// {u16 tag, u16 perm, u32 id}. Only ACL_USER and ACL_GROUP entries carry an id.
import {TspodError} from '../../../errors'
import {native} from '../../../native'

export const ACL_ACCESS_XATTR = 'system.posix_acl_access'

const ACL_XATTR_VERSION = 2
const HEADER_SIZE = 4
const ENTRY_SIZE = 8

export type AclTag = 'user_obj' | 'user' | 'group_obj' | 'group' | 'mask' | 'other'

const TAGS: Record<number, AclTag> = {0x01: 'user_obj', 0x02: 'user', 0x04: 'group_obj', 0x08: 'group', 0x10: 'mask', 0x20: 'other'}

export interface AclEntry {
  tag: AclTag
  /** rwx bits: 4 read, 2 write, 1 execute/search */
  perm: number
  /** the uid (user) or gid (group) the entry names; absent for the other tags */
  id?: number
}

/** Decode an access ACL xattr value; `file` names the file in the error for a malformed value. */
export function decodePosixAcl(value: Buffer, file: string): AclEntry[] {
  const bad = (why: string) => new TspodError(`${file}: malformed ${ACL_ACCESS_XATTR}: ${why}`, {path: file})
  if (value.length < HEADER_SIZE || (value.length - HEADER_SIZE) % ENTRY_SIZE !== 0)
    throw bad(`${value.length} bytes is not a header plus whole entries`)
  const version = value.readUInt32LE(0)
  if (version !== ACL_XATTR_VERSION) throw bad(`version ${version}, expected ${ACL_XATTR_VERSION}`)
  const entries: AclEntry[] = []
  for (let off = HEADER_SIZE; off < value.length; off += ENTRY_SIZE) {
    const tag = TAGS[value.readUInt16LE(off)]
    if (!tag) throw bad(`unknown tag 0x${value.readUInt16LE(off).toString(16)}`)
    const perm = value.readUInt16LE(off + 2)
    if (perm & ~7) throw bad(`permission bits 0x${perm.toString(16)} out of range`)
    const entry: AclEntry = {tag, perm}
    if (tag === 'user' || tag === 'group') entry.id = value.readUInt32LE(off + 4)
    entries.push(entry)
  }
  return entries
}

/** The access ACL of a path (not following a final symlink), or undefined when it has none. */
export function readPosixAcl(file: string): AclEntry[] | undefined {
  const value = native().getxattr(file, ACL_ACCESS_XATTR)
  return value === null ? undefined : decodePosixAcl(value, file)
}

/** An ACL in getfacl's short text form, for messages: "user::rwx,user:1001:--x,mask::r-x,...". */
export function formatPosixAcl(entries: AclEntry[]): string {
  const bits = (p: number) => `${p & 4 ? 'r' : '-'}${p & 2 ? 'w' : '-'}${p & 1 ? 'x' : '-'}`
  const kind = (t: AclTag) => (t.startsWith('user') ? 'user' : t.startsWith('group') ? 'group' : t)
  return entries.map((e) => `${kind(e.tag)}:${e.id ?? ''}:${bits(e.perm)}`).join(',')
}
