// The infra containers' image when none is configured: as Podman 4.3.1 does, a local image
// built from the host's catatonit (Debian's /usr/bin/catatonit), named
// localhost/podman-pause:VERSION-BUILT, with /catatonit -P as its entrypoint.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {pipeline} from 'node:stream/promises'
import * as tar from 'tar-stream'

import {TspodError} from '../../errors'
import {VERSION, builtTime} from '../../package-info'
import type {RegistriesConfig} from '../../storage/image/config/registries-conf'
import type {Image} from '../../storage/store/images/images'
import {resolveLocalImage} from '../../storage/store/images/lookup'
import type {Store} from '../../storage/store/store'

const CATATONIT_PATHS = ['/usr/bin/catatonit', '/usr/libexec/catatonit/catatonit', '/usr/libexec/podman/catatonit']

export function pauseImageName(): string {
  return `localhost/podman-pause:${VERSION}-${builtTime()}`
}

function catatonit(): string {
  const found = CATATONIT_PATHS.find((p) => fs.existsSync(p))
  if (!found) throw new TspodError(`building the pause image: catatonit not found in ${CATATONIT_PATHS.join(', ')}: install the catatonit package`)
  return found
}

/** The pause image, built once. */
export async function ensurePauseImage(store: Store, registries: RegistriesConfig): Promise<{image: Image; name: string}> {
  const name = pauseImageName()
  const found = resolveLocalImage(store, name, registries)
  if (found) return {image: found.image, name}
  const binary = catatonit()
  const work = store.newWorkDir('tmp')
  try {
    const file = path.join(work, 'pause.tar')
    const pack = tar.pack()
    const data = fs.readFileSync(binary)
    pack.entry({name: 'catatonit', mode: 0o755, uid: 0, gid: 0, size: data.length, mtime: fs.statSync(binary).mtime}, data)
    pack.finalize()
    await pipeline(pack, fs.createWriteStream(file))
    const {importTarball} = await import('../../storage/image/import')
    const image = await importTarball(store, file, {
      name,
      changes: ['ENTRYPOINT ["/catatonit", "-P"]'],
      ctx: {registries},
      isTerminal: false,
    })
    return {image, name}
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}
