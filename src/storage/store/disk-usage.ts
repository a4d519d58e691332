// Bytes used by a tree, as `du` counts them (blocks actually allocated), for `system df`.
// Entries the user cannot read (files of subordinate ids in a container's upper dir) are skipped.
import * as fs from 'node:fs'
import * as path from 'node:path'

export function diskUsage(root: string): number {
  let total = 0
  const pending = [root]
  while (pending.length > 0) {
    const dir = pending.pop()!
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, {withFileTypes: true})
    } catch {
      continue
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name)
      try {
        total += fs.lstatSync(file).blocks * 512
      } catch {
        continue
      }
      if (entry.isDirectory()) pending.push(file)
    }
  }
  return total
}
