// --cidfile: the new container's id written to a file the user names, as Podman does for
// systemd units. The file is claimed (created exclusively) before the container is, so two
// containers never share one; it is removed again when the create fails.
import * as fs from 'node:fs'

import {UsageError} from '../../errors'

export interface ClaimedCidFile {
  /** writes the id (no newline, as Podman) */
  write(id: string): void
  /** the create failed: the file goes */
  abandon(): void
}

export function claimCidFile(file: string): ClaimedCidFile {
  let fd: number
  try {
    fd = fs.openSync(file, 'wx', 0o644)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EEXIST') throw new UsageError(`container id file exists. Ensure another container is not using it or delete ${file}`)
    throw new UsageError(`opening cidfile ${file}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`, {code: e.code, path: file})
  }
  return {
    write(id) {
      try {
        fs.writeSync(fd, id)
      } finally {
        fs.closeSync(fd)
      }
    },
    abandon() {
      fs.closeSync(fd)
      fs.rmSync(file, {force: true})
    },
  }
}
