// `rm`: a container's dirs, bundle and records. A running one is refused unless forced, then
// stopped first, as Podman does.
import * as fs from 'node:fs'

import {TspodError} from '../../errors'
import type {Store} from '../../storage/store/store'
import {Container} from './config'
import {bundleDir, containerDirs} from './paths'
import {ContainerRecords} from './records'
import {stopContainer} from './stop'

/** Podman exits 2 for this one. */
export class ContainerRunningError extends TspodError {
  override readonly exitCode = 2

  constructor(id: string) {
    super(`cannot remove container ${id} as it is running - running or paused containers cannot be removed without force: container state improper`)
  }
}

export interface RemoveOptions {
  force?: boolean
  /** seconds to wait after the stop signal before SIGKILL (rm -f -t) */
  timeout?: number
  /** rm -v: its anonymous volumes go too (always with --rm, as in Podman) */
  volumes?: boolean
}

export async function removeContainer(store: Store, records: ContainerRecords, c: Container, options: RemoveOptions = {}): Promise<void> {
  const running = c.state.status === 'running' || c.state.status === 'stopping'
  if (running && !options.force) throw new ContainerRunningError(c.config.id)
  if (running) await stopContainer(records, c, options.timeout)
  const dirs = containerDirs(store, c.config.id)
  if (fs.existsSync(dirs.dir)) await store.removeTrees([dirs.dir])
  fs.rmSync(bundleDir(store, c.config.id), {recursive: true, force: true})
  records.delete(c.config.id)
  if (c.config.volumes.length > 0) {
    const {VolumeStore} = await import('../volume')
    await VolumeStore.open(store).releaseContainer(c.config.id, options.volumes ?? c.config.autoRemove)
  }
}
