// Does native overlayfs mount inside a user namespace here? Decided by a real mount, never by
// the kernel version: a child in new user and mount namespaces creates a kernel-style whiteout
// (char 0/0) and mounts a two-lower overlay with `userxattr`, as containers-storage's probe does.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {native} from '../../../native'
import {UserNamespaceMapping} from '../../../userns/idmap'
import {spawnInNamespaces} from '../../../userns/spawn'
import type {MountProbeResult} from './layer-driver'

export type OverlayProbeResult = MountProbeResult

function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, {recursive: true, force: true})
  } catch {
    // overlay's work/work dir is created mode 000; open it up and retry once
    fs.chmodSync(path.join(dir, 'work', 'work'), 0o700)
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

/** Probe in a fresh dir under `parent` (the graph root: its filesystem is the one that matters). */
export async function probeNativeOverlay(parent: string, mapping: UserNamespaceMapping): Promise<OverlayProbeResult> {
  const dir = fs.mkdtempSync(path.join(parent, '.overlay-probe-'))
  try {
    const [lower1, lower2, upper, work, merged] = ['lower1', 'lower2', 'upper', 'work', 'merged'].map((d) => {
      fs.mkdirSync(path.join(dir, d))
      return path.join(dir, d)
    })
    fs.writeFileSync(path.join(lower1, 'deleted'), '')
    const c = native().constants
    const child = await spawnInNamespaces({
      namespaces: ['user', 'mount'],
      mapping,
      steps: [
        {kind: 'mount', name: 'make / private', source: 'none', path: '/', flags: c.MS_REC | c.MS_PRIVATE},
        {kind: 'mknod', name: 'create a kernel-style whiteout', path: path.join(upper, 'deleted'), mode: c.S_IFCHR, dev: 0},
        {
          kind: 'mount',
          name: 'mount overlay',
          source: 'overlay',
          fstype: 'overlay',
          path: merged,
          data: `lowerdir=${lower2}:${lower1},upperdir=${upper},workdir=${work},userxattr`,
        },
      ],
    })
    await child.exited
    return {native: true}
  } catch (err) {
    return {native: false, error: (err as Error).message}
  } finally {
    removeTree(dir)
  }
}
