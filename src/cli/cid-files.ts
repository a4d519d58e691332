// --cidfile on stop, kill, rm and restart: the container IDs that `create --cidfile` wrote, each
// file's first line, read before the command runs (Podman appends them to the arguments).
import * as fs from 'node:fs'

import {UsageError} from '../engine'

/** Podman's "open X: no such file or directory" wording of a read failure. */
function reason(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'no such file or directory'
  if (err.code === 'EACCES') return 'permission denied'
  if (err.code === 'EISDIR') return 'is a directory'
  return err.message
}

export function readCidFiles(files: string[] | undefined): string[] {
  return (files ?? []).map((file) => {
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      throw new UsageError(`reading CIDFile: open ${file}: ${reason(err as NodeJS.ErrnoException)}`)
    }
    return text.split('\n')[0]
  })
}
