// Files generateSpec decides a container needs but cannot write itself (it only computes): the
// caller writes them into the container's userdata dir and binds them, like /etc/hosts.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {OciMount} from '../oci-spec'

export interface ContainerFile {
  /** where the container sees it, e.g. /etc/passwd */
  destination: string
  content: string
  mode: number
}

/** A file copied from the host (a zone file): bytes rather than text. */
export type CopiedFile = Omit<ContainerFile, 'content'> & {content: Buffer}

/** Write each file into `dir` (named after its destination's base name) and return the bind mounts for addMounts. */
export function writeContainerFiles(dir: string, files: (ContainerFile | CopiedFile)[]): OciMount[] {
  return files.map((file) => {
    const source = path.join(dir, path.posix.basename(file.destination))
    try {
      fs.writeFileSync(source, file.content, {mode: file.mode})
      fs.chmodSync(source, file.mode) // whatever the umask
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      throw new TspodError(`write ${source} for ${file.destination}: ${e.message}`, {code: e.code, path: source, cause: err})
    }
    return {destination: file.destination, type: 'bind', source, options: ['rbind', 'rprivate']}
  })
}

/**
 * /run/.containerenv, empty as Podman makes it for a container that is not privileged: how a
 * program learns that it runs in a container. None when the user mounts something there.
 */
export function containerEnvFile(mounts: OciMount[]): ContainerFile[] {
  const destination = '/run/.containerenv'
  return mounts.some((m) => m.destination === destination) ? [] : [{destination, content: '', mode: 0o644}]
}
