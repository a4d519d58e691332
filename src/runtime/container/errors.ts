// The container errors callers branch on, in a module of their own: a front end that tells them
// apart (its exit codes) loads these classes, not the records and removal code that throws them.
import {ErrorClass, TspodError} from '../../errors'

export class NoSuchContainerError extends TspodError {
  override readonly errorClass: ErrorClass = 'NoSuchObject'
}

/** A verb the container's state does not allow (Podman's "container state improper"). */
export class ContainerStateError extends TspodError {}

/** `rm` exits 2 for this one, as Podman's. */
export class ContainerRunningError extends TspodError {
  override readonly errorClass: ErrorClass = 'InUse'

  constructor(id: string, status: 'running' | 'paused' = 'running') {
    super(`cannot remove container ${id} as it is ${status} - running or paused containers cannot be removed without force: container state improper`)
  }
}
