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
 * The engine as /run/.containerenv names it. Podman writes `podman-VERSION`, and programs in
 * containers look for that prefix (as for the `container=podman` variable): tspod keeps it and
 * names itself after it, `podman-tspod-VERSION`.
 */
export function containerEnvEngine(version: string): string {
  return `podman-tspod-${version}`
}

/** What a privileged container's /run/.containerenv tells about it. */
export interface ContainerEnvFacts {
  /** the engine and its version (containerEnvEngine) */
  engine: string
  name: string
  id: string
  image: string
  imageId: string
  rootless: boolean
}

/**
 * /run/.containerenv: how a program learns that it runs in a container. Empty, as Podman makes
 * it, unless the container is privileged: then shell variables name the engine, the container
 * and its image. None when the user mounts something there.
 */
export function containerEnvFile(mounts: OciMount[], privileged?: ContainerEnvFacts): ContainerFile[] {
  const destination = '/run/.containerenv'
  if (mounts.some((m) => m.destination === destination)) return []
  let content = ''
  if (privileged) {
    const f = privileged
    content = `engine=${JSON.stringify(f.engine)}\nname=${JSON.stringify(f.name)}\nid=${JSON.stringify(f.id)}\nimage=${JSON.stringify(f.image)}\nimageid=${JSON.stringify(f.imageId)}\n`
    if (f.rootless) content += 'rootless=1\n'
  }
  return [{destination, content, mode: 0o644}]
}
