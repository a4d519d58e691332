// The mount counters of `mount` and `image mount`, as containers/storage keeps one per layer:
// mounting again only counts, unmounting counts down and unmounts at zero (or at once, forced).
//
// One file in the graph root, `rootfs-mounts.json` (as containers/storage's mountpoints.json), under an exclusive lock: for each container or
// image, one entry per mount session (see mount-session.ts) with its count and mount point. An
// entry of a session that has ended is dropped when the file is read: its mount went with its
// namespace, so nothing stale is left to show as mounted or to block a removal.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {withLock} from '../../storage/store/lockfile'
import {MountSession, sameSession, sessionAlive} from './mount-session'

export type MountedKind = 'container' | 'image'

export interface MountEntry {
  session: MountSession
  count: number
  mountpoint: string
}

type RecordFile = Record<MountedKind, Record<string, MountEntry[]>>

export class MountRecords {
  private constructor(private readonly data: RecordFile) {}

  /** Read the records under the lock, let `action` change them, write them back. */
  static async update<T>(graphRoot: string, action: (records: MountRecords) => Promise<T> | T): Promise<T> {
    const file = path.join(graphRoot, 'rootfs-mounts.json')
    return withLock(path.join(graphRoot, 'rootfs-mounts.lock'), 'exclusive', async () => {
      const records = new MountRecords(readRecords(file))
      try {
        return await action(records)
      } finally {
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(records.data), {mode: 0o600})
        fs.renameSync(`${file}.tmp`, file)
      }
    })
  }

  /** The entry of `session` for the container or image `id`. */
  entry(kind: MountedKind, id: string, session: MountSession): MountEntry | undefined {
    return (this.data[kind][id] ?? []).find((e) => sameSession(e.session, session))
  }

  set(kind: MountedKind, id: string, entry: MountEntry): void {
    const others = (this.data[kind][id] ?? []).filter((e) => !sameSession(e.session, entry.session))
    this.data[kind][id] = entry.count > 0 ? [...others, entry] : others
    if (this.data[kind][id].length === 0) delete this.data[kind][id]
  }

  /** The ids mounted in `session`, in the order they were first recorded, with their mount points. */
  mountedIn(kind: MountedKind, session: MountSession): Array<{id: string; mountpoint: string}> {
    const found: Array<{id: string; mountpoint: string}> = []
    for (const [id, entries] of Object.entries(this.data[kind])) {
      const entry = entries.find((e) => sameSession(e.session, session))
      if (entry) found.push({id, mountpoint: entry.mountpoint})
    }
    return found
  }

  /** Forget every session's mounts of `id` (it is being removed); returns the entries. */
  take(kind: MountedKind, id: string): MountEntry[] {
    const entries = this.data[kind][id] ?? []
    delete this.data[kind][id]
    return entries
  }

  ids(kind: MountedKind): string[] {
    return Object.keys(this.data[kind])
  }
}

function readRecords(file: string): RecordFile {
  let parsed: Partial<RecordFile> = {}
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RecordFile>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err
  }
  const live = (table: Record<string, MountEntry[]> | undefined): Record<string, MountEntry[]> => {
    const kept: Record<string, MountEntry[]> = {}
    for (const [id, entries] of Object.entries(table ?? {})) {
      const alive = entries.filter((e) => e.count > 0 && sessionAlive(e.session))
      if (alive.length > 0) kept[id] = alive
    }
    return kept
  }
  return {container: live(parsed.container), image: live(parsed.image)}
}
