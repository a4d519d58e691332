// The exec sessions of a container, as Podman keeps them: each `exec` gets a 64-hex session ID,
// listed in `inspect`'s ExecIDs. A foreground session's record goes when its process ends; a
// detached one's stays (Podman 4.3.1 keeps it, ended or not, also after the container stops)
// until the container starts again or is removed. Records live in the bundle dir
// (<runRoot>/containers/<id>/exec-sessions/<session>.json), which a start rewrites and `rm` removes.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {Store} from '../../storage/store/store'
import {processStartTime} from '../../storage/store/owner'
import {bundleDir} from './paths'
import {isAlive} from './records'

export interface ExecSession {
  id: string
  /** the session's process on the host, and its start time (a recycled pid is not it) */
  pid: number
  pidStart?: string
  detached: boolean
  command: string[]
  /** ISO time */
  created: string
}

export function execSessionsDir(store: Store, containerId: string): string {
  return path.join(bundleDir(store, containerId), 'exec-sessions')
}

export function newExecSessionId(): string {
  return crypto.randomBytes(32).toString('hex')
}

/** Record the session of the running process `pid`; returns it. */
export function recordExecSession(store: Store, containerId: string, session: Omit<ExecSession, 'pidStart' | 'created'>): ExecSession {
  const record: ExecSession = {...session, pidStart: processStartTime(session.pid), created: new Date().toISOString()}
  const dir = execSessionsDir(store, containerId)
  fs.mkdirSync(dir, {recursive: true, mode: 0o700})
  // written whole under a temporary name, so a reader never sees half a record
  const tmp = path.join(dir, `.${record.id}.${process.pid}`)
  fs.writeFileSync(tmp, JSON.stringify(record), {mode: 0o600})
  fs.renameSync(tmp, path.join(dir, `${record.id}.json`))
  return record
}

export function removeExecSession(store: Store, containerId: string, sessionId: string): void {
  fs.rmSync(path.join(execSessionsDir(store, containerId), `${sessionId}.json`), {force: true})
}

/** A new run of the container starts with no sessions. */
export function clearExecSessions(store: Store, containerId: string): void {
  fs.rmSync(execSessionsDir(store, containerId), {recursive: true, force: true})
}

function readSession(file: string): ExecSession | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as ExecSession
    return typeof record.id === 'string' && typeof record.pid === 'number' ? record : undefined
  } catch {
    return undefined
  }
}

/**
 * The container's sessions, by ID (as Podman's database lists them). A foreground session whose process is gone without
 * its record removed (its CLI was killed) has ended: it is left out and its record removed.
 */
export function listExecSessions(store: Store, containerId: string): ExecSession[] {
  const dir = execSessionsDir(store, containerId)
  let names: string[]
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'))
  } catch {
    return []
  }
  const sessions: ExecSession[] = []
  for (const name of names) {
    const session = readSession(path.join(dir, name))
    if (!session) continue
    if (!session.detached && !isAlive(session.pid, session.pidStart)) {
      fs.rmSync(path.join(dir, name), {force: true})
      continue
    }
    sessions.push(session)
  }
  return sessions.sort((a, b) => a.id.localeCompare(b.id))
}
