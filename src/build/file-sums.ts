// The sha256 of context files by what lstat says of them, as git's index and BuildKit's content
// cache keep them: a file whose inode, size, mtime and ctime are unchanged is not read again for
// a COPY's cache key. ctime cannot be set back by a user, so a rewrite always shows; a sum taken
// while the file could still change within the clock's granularity is not kept.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

interface Sum {
  ino: number
  size: number
  mtimeMs: number
  ctimeMs: number
  sha256: string
}

/** a sum is kept only for a file unchanged for this long when it was read (well above the coarse clock file times use) */
const SETTLED_MS = 100
/** past this many sums, only those of the last build are kept */
const MAX_SUMS = 50000

export class FileSums {
  private sums = new Map<string, Sum>()
  private changed = false
  private readonly used = new Set<string>()

  constructor(
    private readonly file?: string,
    private readonly settledMs = SETTLED_MS,
  ) {
    if (!file) return
    try {
      this.sums = new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Sum>))
    } catch {
      // none yet, or unreadable: every file is read
    }
  }

  /** The hex sha256 of `file`'s contents; `st` its lstat. */
  sum(file: string, st: fs.Stats): string {
    this.used.add(file)
    const known = this.sums.get(file)
    if (known && known.ino === st.ino && known.size === st.size && known.mtimeMs === st.mtimeMs && known.ctimeMs === st.ctimeMs) return known.sha256
    const hash = crypto.createHash('sha256')
    const fd = fs.openSync(file, 'r')
    try {
      const buf = Buffer.alloc(Math.min(1 << 20, Math.max(st.size, 1)))
      for (let n; (n = fs.readSync(fd, buf)) > 0; ) hash.update(buf.subarray(0, n))
    } finally {
      fs.closeSync(fd)
    }
    const sha256 = hash.digest('hex')
    if (Date.now() - Math.max(st.mtimeMs, st.ctimeMs) >= this.settledMs) {
      this.sums.set(file, {ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, sha256})
      this.changed = true
    }
    return sha256
  }

  /** Keep the sums for the next build (written whole, then renamed into place). */
  save(): void {
    if (!this.file || !this.changed) return
    if (this.sums.size > MAX_SUMS) this.sums = new Map([...this.sums].filter(([file]) => this.used.has(file)))
    const tmp = `${this.file}.${process.pid}.tmp`
    try {
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.sums)), {mode: 0o600})
      fs.renameSync(tmp, path.resolve(this.file))
      this.changed = false
    } catch {
      fs.rmSync(tmp, {force: true})
    }
  }
}
