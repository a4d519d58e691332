// `volume export` and `volume import`: a volume's data as a tar archive, made or unpacked by the
// host's tar running as root of the store's user namespace (as Podman does it there), so files
// that containers wrote by subordinate ids keep their owners and can be read.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {systemErrorText} from '../spec/system-error'
import type {ChildStep} from '../../native'
import {MS} from '../rootfs-mount'
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

/** The host dirs tar and its libraries live in; on a merged-/usr system the others are symlinks into /usr. */
const PROGRAM_DIRS = ['/usr', '/bin', '/lib', '/lib64', '/lib32', '/libx32']

/**
 * A root holding only the host's program dirs (read-only) and the volume's data at /volume, for
 * tar to unpack in. A container may have left symlinks in its volume (`d -> /home/user`): in
 * this root they resolve to nothing of the host's, as Podman's chrootarchive unpacks in a chroot.
 */
function confinedRootSteps(root: string, dataDir: string): ChildStep[] {
  const steps: ChildStep[] = [
    {kind: 'mount', name: 'make `/` private', source: 'none', path: '/', flags: MS.REC | MS.PRIVATE},
    {kind: 'mount', name: 'a tmpfs for the unpacking root', source: 'tmpfs', path: root, fstype: 'tmpfs', flags: MS.NOSUID | MS.NODEV, data: 'mode=755'},
  ]
  for (const dir of PROGRAM_DIRS) {
    let st: fs.Stats
    try {
      st = fs.lstatSync(dir)
    } catch {
      continue
    }
    const at = path.join(root, dir)
    if (st.isSymbolicLink()) {
      steps.push({kind: 'symlink', name: `symlink ${dir}`, source: fs.readlinkSync(dir), path: at})
      continue
    }
    steps.push(
      {kind: 'mkdirp', name: `mkdir ${dir}`, path: at, mode: 0o755},
      {kind: 'mount', name: `bind ${dir}`, source: dir, path: at, flags: MS.BIND | MS.REC},
      {kind: 'mount', name: `remount ${dir} read-only`, source: 'none', path: at, flags: MS.BIND | MS.REMOUNT | MS.RDONLY, keepLockedFlags: true},
    )
  }
  const volume = path.join(root, 'volume')
  steps.push(
    {kind: 'mkdirp', name: 'mkdir /volume', path: volume, mode: 0o755},
    {kind: 'mount', name: 'bind the volume data', source: dataDir, path: volume, flags: MS.BIND},
    {kind: 'chdir', name: 'chdir to the unpacking root', path: root},
    {kind: 'pivot_root', name: 'pivot_root', path: '.', source: '.'},
    {kind: 'umount_detach', name: 'unmount the old root', path: '.'},
    {kind: 'chdir', name: 'chdir to /volume', path: '/volume'},
  )
  return steps
}

/** tar's flag for a file's compression, by its magic bytes: tar detects it only in a file it opens by name, which the confined root has not. */
function compressionFlag(fd: number): string[] {
  const head = Buffer.alloc(6)
  const n = fs.readSync(fd, head, 0, head.length, 0)
  const starts = (...bytes: number[]) => n >= bytes.length && bytes.every((b, i) => head[i] === b)
  if (starts(0x1f, 0x8b)) return ['-z']
  if (starts(0x42, 0x5a, 0x68)) return ['-j']
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return ['-J']
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return ['--zstd']
  return []
}

/** Unpack a tar into the volume's data dir: a file (plain or compressed), or from an fd. */
export async function importVolumeData(mapping: UserNamespaceMapping | undefined, name: string, dataDir: string, source: string | number): Promise<void> {
  const tar = hostTar()
  let input: number
  try {
    input = typeof source === 'number' ? source : fs.openSync(source, 'r')
  } catch (err) {
    throw new TspodError(`importing into volume ${name}: ${systemErrorText(err)}`)
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-volume-import-'))
  try {
    await runAsMappedRoot(mapping, {
      file: fs.realpathSync(tar),
      argv: ['tar', '--numeric-owner', '--same-owner', ...(input === source ? [] : compressionFlag(input)), '-xpf', '-', '-C', '/volume'],
      steps: confinedRootSteps(root, dataDir),
      stdin: input,
      doing: `importing into volume ${name}`,
    })
  } finally {
    if (input !== source) fs.closeSync(input)
    fs.rmSync(root, {recursive: true, force: true})
  }
}
