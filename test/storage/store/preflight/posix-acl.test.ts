import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {native} from '../../../../src/native'
import {ACL_ACCESS_XATTR, AclEntry, decodePosixAcl, formatPosixAcl, readPosixAcl} from '../../../../src/storage/store/preflight/posix-acl'
import {TEST_USER, groupId, lookupUser, removeTree} from '../../../helpers/rootless'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-acl-'))
  t.teardown(() => removeTree(dir))
  return dir
}

/** getfacl's numeric view of the same ACL, as entries, to hold the decoder against. */
function getfaclEntries(file: string): AclEntry[] {
  const out = execFileSync('getfacl', ['--numeric', '--omit-header', '--absolute-names', file], {encoding: 'utf8'})
  const bits = (s: string) => (s[0] === 'r' ? 4 : 0) | (s[1] === 'w' ? 2 : 0) | (s[2] === 'x' ? 1 : 0)
  return out
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [kind, id, perm] = l.split(/\s+/)[0].split(':')
      const tag = kind === 'mask' || kind === 'other' ? kind : id === '' ? `${kind}_obj` : kind
      const entry: AclEntry = {tag: tag as AclEntry['tag'], perm: bits(perm)}
      if (id !== '' && kind !== 'mask' && kind !== 'other') entry.id = Number(id)
      return entry
    })
}

function xattrBuffer(version: number, entries: [number, number, number][]): Buffer {
  const buf = Buffer.alloc(4 + 8 * entries.length)
  buf.writeUInt32LE(version, 0)
  entries.forEach(([tag, perm, id], i) => {
    buf.writeUInt16LE(tag, 4 + 8 * i)
    buf.writeUInt16LE(perm, 6 + 8 * i)
    buf.writeUInt32LE(id, 8 + 8 * i)
  })
  return buf
}

test('decodes the xattr setfacl writes, entry for entry as getfacl reads it', (t) => {
  const dir = tempDir(t)
  const user = lookupUser(TEST_USER)
  const stor = groupId('tspodstor')
  const file = path.join(dir, 'f')
  fs.writeFileSync(file, '')
  execFileSync('setfacl', ['-m', `u:${user.uid}:r-x,g:${stor}:--x,m::r-x,o::---`, file])
  const raw = native().getxattr(file, ACL_ACCESS_XATTR)!
  const entries = decodePosixAcl(raw, file)
  t.deepEqual(entries, getfaclEntries(file))
  t.deepEqual(entries, [
    {tag: 'user_obj', perm: 6},
    {tag: 'user', perm: 5, id: user.uid},
    {tag: 'group_obj', perm: 4},
    {tag: 'group', perm: 1, id: stor},
    {tag: 'mask', perm: 5},
    {tag: 'other', perm: 0},
  ])
  t.deepEqual(readPosixAcl(file), entries)
  t.is(formatPosixAcl(entries), `user::rw-,user:${user.uid}:r-x,group::r--,group:${stor}:--x,mask::r-x,other::---`)
})

test('a file without an ACL has none; a dir ACL is read without following symlinks', (t) => {
  const dir = tempDir(t)
  fs.writeFileSync(path.join(dir, 'plain'), '')
  t.is(readPosixAcl(path.join(dir, 'plain')), undefined)
  fs.mkdirSync(path.join(dir, 'd'))
  execFileSync('setfacl', ['-m', 'u:0:--x', path.join(dir, 'd')])
  fs.symlinkSync('d', path.join(dir, 'link'))
  t.is(readPosixAcl(path.join(dir, 'link')), undefined)
  t.deepEqual(readPosixAcl(path.join(dir, 'd'))!.find((e) => e.tag === 'user'), {tag: 'user', perm: 1, id: 0})
})

test('malformed values are refused with the file named', (t) => {
  const valid: [number, number, number][] = [[0x01, 7, 0xffffffff], [0x04, 5, 0xffffffff], [0x20, 5, 0xffffffff]]
  t.deepEqual(decodePosixAcl(xattrBuffer(2, valid), '/x'), [
    {tag: 'user_obj', perm: 7},
    {tag: 'group_obj', perm: 5},
    {tag: 'other', perm: 5},
  ])
  t.throws(() => decodePosixAcl(xattrBuffer(1, valid), '/x'), {message: '/x: malformed system.posix_acl_access: version 1, expected 2'})
  t.throws(() => decodePosixAcl(xattrBuffer(2, valid).subarray(0, 10), '/x'), {
    message: '/x: malformed system.posix_acl_access: 10 bytes is not a header plus whole entries',
  })
  t.throws(() => decodePosixAcl(Buffer.alloc(2), '/x'), {message: '/x: malformed system.posix_acl_access: 2 bytes is not a header plus whole entries'})
  t.throws(() => decodePosixAcl(xattrBuffer(2, [[0x40, 7, 0]]), '/x'), {message: '/x: malformed system.posix_acl_access: unknown tag 0x40'})
  t.throws(() => decodePosixAcl(xattrBuffer(2, [[0x01, 8, 0]]), '/x'), {message: '/x: malformed system.posix_acl_access: permission bits 0x8 out of range'})
})
