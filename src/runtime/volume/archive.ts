// `volume export` and `volume import`: a volume's data as a tar archive, made or unpacked by the
// host's tar running as root of the store's user namespace (as Podman does it there), so files
// that containers wrote by subordinate ids keep their owners and can be read.
import * as fs from 'node:fs'

import {TspodError} from '../../errors'
import type {UserNamespaceMapping} from '../../userns/idmap'
import {runAsMappedRoot} from './mapped-root'

const TAR_CANDIDATES = ['/usr/bin/tar', '/bin/tar']

function hostTar(): string {
  const found = TAR_CANDIDATES.find((f) => fs.existsSync(f))
  if (!found) throw new TspodError(`no tar program on the host (looked for ${TAR_CANDIDATES.join(', ')})`)
  return found
}

/** Write a tar of the volume's data dir (its contents, as `./…`) to the fd. */
export async function exportVolumeData(mapping: UserNamespaceMapping | undefined, name: string, dataDir: string, out: number): Promise<void> {
  await runAsMappedRoot(mapping, {
    file: hostTar(),
    argv: ['tar', '--numeric-owner', '-cf', '-', '-C', dataDir, '.'],
    stdout: out,
    doing: `exporting volume ${name}`,
  })
}

/** Unpack a tar into the volume's data dir: a file (whose compression tar detects), or from an fd. */
export async function importVolumeData(mapping: UserNamespaceMapping | undefined, name: string, dataDir: string, source: string | number): Promise<void> {
  await runAsMappedRoot(mapping, {
    file: hostTar(),
    argv: ['tar', '--numeric-owner', '--same-owner', '-xpf', typeof source === 'string' ? source : '-', '-C', dataDir],
    stdin: typeof source === 'number' ? source : undefined,
    doing: `importing into volume ${name}`,
  })
}
