// Names for numeric ids in messages ("root:tspodstor"), from /etc/passwd and /etc/group. An id
// without an entry (a subordinate id, a deleted account) is shown as its number.
import * as fs from 'node:fs'

export interface AccountFiles {
  passwd: string
  group: string
}

const DEFAULT_FILES: AccountFiles = {passwd: '/etc/passwd', group: '/etc/group'}

export interface Accounts {
  userName(uid: number): string
  groupName(gid: number): string
  /** the uid of a user name, for matching /etc/subuid owners given by name */
  uidOf(name: string): number | undefined
}

function readLines(file: string): string[][] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split(':'))
  } catch {
    return []
  }
}

export function loadAccounts(files: AccountFiles = DEFAULT_FILES): Accounts {
  const users = new Map<number, string>()
  const uids = new Map<string, number>()
  for (const f of readLines(files.passwd)) {
    const uid = Number(f[2])
    if (f.length < 3 || !Number.isInteger(uid)) continue
    if (!users.has(uid)) users.set(uid, f[0])
    uids.set(f[0], uid)
  }
  const groups = new Map<number, string>()
  for (const f of readLines(files.group)) {
    const gid = Number(f[2])
    if (f.length < 3 || !Number.isInteger(gid)) continue
    if (!groups.has(gid)) groups.set(gid, f[0])
  }
  return {
    userName: (uid) => users.get(uid) ?? String(uid),
    groupName: (gid) => groups.get(gid) ?? String(gid),
    uidOf: (name) => uids.get(name),
  }
}
