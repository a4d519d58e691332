// The mount namespace a `mount` command's mounts live in, and whether it still exists.
//
// Podman keeps its rootless mount namespace alive with a pause process, so a container mounted in
// one `podman unshare` is still mounted in the next. tspod has no such process: a mount made in a
// `tspod unshare` session lives in that session's mount namespace and goes with it. A session is
// named by its namespace's inode and the first process in it (pid and start time), which tells a
// namespace that still exists from one whose inode number was reused.
import * as fs from 'node:fs'

import {processStartTime} from '../../storage/store/owner'
import {isAlive} from '../container/records'

export interface MountSession {
  /** readlink of /proc/PID/ns/mnt: "mnt:[INODE]" */
  namespace: string
  /** the oldest process of the namespace in this process's line of parents */
  pid: number
  start: string
}

function namespaceOf(pid: number | 'self'): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/mnt`)
  } catch {
    return undefined
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return ppid > 0 ? ppid : undefined
  } catch {
    return undefined
  }
}

/** The session this process runs in: its mount namespace and the first of its parents in it. */
export function currentMountSession(): MountSession {
  const namespace = namespaceOf('self')
  if (!namespace) throw new Error('cannot read /proc/self/ns/mnt')
  let pid = process.pid
  for (let parent = parentOf(pid); parent !== undefined && namespaceOf(parent) === namespace; parent = parentOf(parent)) pid = parent
  return {namespace, pid, start: processStartTime(pid) ?? ''}
}

export function sameSession(a: MountSession, b: MountSession): boolean {
  return a.namespace === b.namespace && a.pid === b.pid && a.start === b.start
}

/**
 * The session's first process still runs (in its namespace, where that can be read): the mounts
 * made there still exist. Another `unshare` session's namespace links cannot be read from this
 * one (each session is a user namespace of its own); its start time still tells a reused pid.
 */
export function sessionAlive(session: MountSession): boolean {
  if (!isAlive(session.pid, session.start)) return false
  const namespace = namespaceOf(session.pid)
  return namespace === undefined || namespace === session.namespace
}
