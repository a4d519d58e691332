// The errno text of a Node system error without Node's decorations, as Go and C tools print it:
// "permission denied" rather than "EACCES: permission denied, open '/x'".
import * as util from 'node:util'

export function systemErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (typeof e?.errno === 'number') {
    const known = util.getSystemErrorMap().get(e.errno)
    if (known) return known[1]
  }
  return err instanceof Error ? err.message : String(err)
}
