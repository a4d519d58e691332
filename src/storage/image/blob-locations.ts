// Where blobs were last seen in registries (containers/image's blob info cache, reduced to what
// push needs): digest → the repositories ("host/path") a push put it in, so that a later push of
// the same layers to another repository of that registry mounts them instead of uploading them.
// One JSON file per store; unreadable or damaged, it is simply empty (it is only a hint).
import * as fs from 'node:fs'
import * as path from 'node:path'
import {randomBytes} from 'node:crypto'

/** Repositories remembered per blob; the most recent first. */
const MAX_REPOSITORIES_PER_BLOB = 8
const MAX_BLOBS = 4096

export class BlobLocations {
  constructor(readonly file: string) {}

  private read(): Record<string, string[]> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'))
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
      const out: Record<string, string[]> = {}
      for (const [digest, repos] of Object.entries(parsed as Record<string, unknown>)) {
        if (Array.isArray(repos)) out[digest] = repos.filter((r): r is string => typeof r === 'string')
      }
      return out
    } catch {
      return {}
    }
  }

  /** The repositories ("host/path") known to hold any of these blobs. */
  repositoriesFor(digests: string[]): string[] {
    const known = this.read()
    return [...new Set(digests.flatMap((d) => known[d] ?? []))]
  }

  /** Remembers that repository ("host/path") now holds these blobs; failures to write are ignored. */
  record(digests: string[], repository: string): void {
    const known = this.read()
    for (const digest of digests) known[digest] = [repository, ...(known[digest] ?? []).filter((r) => r !== repository)].slice(0, MAX_REPOSITORIES_PER_BLOB)
    const entries = Object.entries(known)
    const kept = Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_BLOBS)))
    const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      fs.writeFileSync(temp, JSON.stringify(kept), {mode: 0o600})
      fs.renameSync(temp, this.file)
    } catch {
      try {
        fs.rmSync(temp, {force: true})
      } catch {
        // the dir itself is unusable: nothing was written
      }
    }
  }
}
