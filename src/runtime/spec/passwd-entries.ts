// The /etc/passwd and /etc/group lines Podman adds to a container (libpod's
// generatePasswdEntry/generateGroupEntry): the user running tspod with --userns=keep-id, and a
// numeric --user (or image User) the image does not know. Podman appends them to the rootfs's
// files, or binds copies when the root is read-only; tspod always binds copies (see files.ts),
// so nothing is written into the image's layers.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ContainerStartError, UsageError} from '../../errors'
import {parseGroup, parsePasswd} from './user'

export interface HostAccount {
  name: string
  uid: number
  gid: number
  /** the GECOS field (Go's user.User.Name) */
  gecos: string
  home: string
}

/** The host's user database, as Go's os/user sees it for the lines Podman copies. */
export interface HostAccounts {
  userById(uid: number): HostAccount | undefined
  userByName(name: string): HostAccount | undefined
  groupNameById(gid: number): string | undefined
}

function field(line: string, n: number): string {
  return line.split(':')[n] ?? ''
}

/** /etc/passwd and /etc/group text (the host's by default); the caller's own account falls back to getpwuid. */
export function hostAccounts(passwd?: string, group?: string): HostAccounts {
  const read = (file: string): string => {
    try {
      return fs.readFileSync(file, 'utf8')
    } catch {
      return ''
    }
  }
  const passwdLines = (passwd ?? read('/etc/passwd')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
  const groupLines = (group ?? read('/etc/group')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
  const account = (line: string): HostAccount => ({name: field(line, 0), uid: Number(field(line, 2)), gid: Number(field(line, 3)), gecos: field(line, 4), home: field(line, 5)})
  // NSS users (LDAP, sssd) that /etc/passwd does not list: only the caller's own, from getpwuid
  const own = (): HostAccount | undefined => {
    if (passwd !== undefined) return undefined
    const info = os.userInfo()
    return {name: info.username, uid: info.uid, gid: info.gid, gecos: '', home: info.homedir}
  }
  return {
    userById(uid) {
      const line = passwdLines.find((l) => field(l, 2) === String(uid))
      if (line) return account(line)
      return uid === process.getuid?.() ? own() : undefined
    },
    userByName(name) {
      const line = passwdLines.find((l) => field(l, 0) === name)
      if (line) return account(line)
      const self = own()
      return self?.name === name ? self : undefined
    },
    groupNameById(gid) {
      const line = groupLines.find((l) => field(l, 2) === String(gid))
      return line ? field(line, 0) : undefined
    },
  }
}

export interface PasswdEntriesRequest {
  /** the image's /etc/passwd and /etc/group, undefined when it has none */
  imagePasswd?: string
  imageGroup?: string
  /** the user spec in effect (--user, the image's User, or keep-id's UID:GID) */
  user: string
  /** --userns=keep-id without uid=/gid=: add the user running tspod (Podman's AddCurrentUserPasswdEntry) */
  addCurrentUser: boolean
  /** the host user running tspod */
  hostUser: {uid: number; gid: number}
  accounts: HostAccounts
  /** process.cwd of the container: the home of added users */
  workdir: string
  /** destinations of the container's mounts and volumes */
  mountDestinations: string[]
  /** --hostuser: host users (names or uids) to add when the image does not have them */
  hostUsers?: string[]
}

export interface PasswdEntries {
  /** lines to append to /etc/passwd, '' for none */
  passwd: string
  /** lines to append to /etc/group, '' for none */
  group: string
}

function atoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined
}

/** pkg/lookup GetUser/GetGroup: a number matches the id, anything else the name. */
function hasEntry(entries: {name: string; id: number}[], idOrName: string): boolean {
  const id = atoi(idOrName)
  return entries.some((e) => (id === undefined ? e.name === idOrName : e.id === id))
}

/** The user's real home when it, or a dir above it, is mounted into the container; else the workdir. */
function homeFor(account: HostAccount, req: PasswdEntriesRequest): string {
  for (let dir = account.home; dir !== '/' && dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) {
    if (req.mountDestinations.includes(dir)) return account.home
  }
  return req.workdir
}

/** Podman's lines for a container; empty strings when the image already has the users and groups. */
export function passwdEntries(req: PasswdEntriesRequest): PasswdEntries {
  const users = parsePasswd(req.imagePasswd ?? '').map((u) => ({name: u.name, id: u.uid}))
  const groups = parseGroup(req.imageGroup ?? '').map((g) => ({name: g.name, id: g.gid}))
  let passwd = ''
  let group = ''

  let addedUid = 0
  let addedGid = -1
  if (req.addCurrentUser) {
    const {uid, gid} = req.hostUser
    const account = uid === 0 ? undefined : req.accounts.userById(uid)
    if (account && !hasEntry(users, account.name) && !hasEntry(users, String(uid)))
      passwd += `${account.name}:*:${uid}:${gid}:${account.gecos}:${homeFor(account, req)}:/bin/sh\n`
    if (account) addedUid = uid
    // Podman reports gid 0 as added when the image has the group already (or for root's own)
    addedGid = 0
    const groupName = gid === 0 ? undefined : req.accounts.groupNameById(gid)
    if (groupName && !hasEntry(groups, groupName) && !hasEntry(groups, String(gid))) {
      group += `${groupName}:x:${gid}:${account?.name ?? ''}\n`
      addedGid = gid
    }
  }

  const [userPart, groupPart] = req.user.split(/:(.*)/s, 2) as [string, string | undefined]
  const uid = atoi(userPart)
  if (req.user !== '' && uid !== undefined && uid >= 0 && !(addedUid !== 0 && uid === addedUid) && !hasEntry(users, userPart)) {
    let gid = 0
    if (groupPart) {
      const numeric = atoi(groupPart)
      if (numeric !== undefined) gid = numeric
      else {
        const found = parseGroup(req.imageGroup ?? '').find((g) => g.name === groupPart)
        if (!found) throw new UsageError(`unable to get gid ${groupPart} from group file: no matching entries in group file`)
        gid = found.gid
      }
    }
    const account = req.accounts.userById(uid)
    passwd += account
      ? `${account.name}:*:${uid}:${gid}:${account.gecos}:${req.workdir}:/bin/sh\n`
      : `${uid}:*:${uid}:${gid}:container user:${req.workdir}:/bin/sh\n`
  }
  for (const wanted of req.hostUsers ?? []) {
    const uid = atoi(wanted)
    const account = uid === undefined ? req.accounts.userByName(wanted) : req.accounts.userById(uid)
    // Podman looks the user up when it writes the container's /etc/passwd, as the container starts
    if (!account) throw new ContainerStartError(`creating temporary passwd file: user: unknown user${uid === undefined ? '' : 'id'} ${wanted}`)
    const added = parsePasswd(passwd).map((u) => ({name: u.name, id: u.uid}))
    if (hasEntry([...users, ...added], account.name) || hasEntry([...users, ...added], String(account.uid))) continue
    passwd += `${account.name}:*:${account.uid}:${account.gid}:${account.gecos}:${homeFor(account, req)}:/bin/sh\n`
  }
  if (req.user !== '') {
    const gidText = groupPart || '0'
    const gid = atoi(gidText)
    if (gid !== undefined && gid >= 0 && gid !== addedGid && !hasEntry(groups, gidText)) group += `${gid}:x:${gid}:${userPart}\n`
  }
  return {passwd, group}
}
