// One lock per container for its state changes (start, stop and kill marking it, recording its
// exit, rm, the monitor's cleanup), as libpod takes a container's lock: two starts at once start
// it once (the second finds it running), and a removal never runs while it is being started. The
// lock is held around each change only, never while waiting for the container to end. Lock
// files live in the run root (a tmpfs, like libpod's locks); see docs/design/locking.md.
import * as path from 'node:path'

import {HeldLock, withLock} from '../../storage/store/lockfile'
import type {Store} from '../../storage/store/store'

export function containerLockFile(store: Store, id: string): string {
  return path.join(store.config.runRoot, 'locks', `container-${id}.lock`)
}

/** Run `action` holding the container's lock; `held.releaseAndRemove()` once the container is gone. */
export function withContainerLock<T>(store: Store, id: string, action: (held: HeldLock) => Promise<T> | T): Promise<T> {
  return withLock(containerLockFile(store, id), 'exclusive', action)
}
