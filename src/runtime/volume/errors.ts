// The volume errors callers branch on, with Podman's messages (libpod/define errors wrapped as
// libpod words them).
import {ErrorClass, TspodError} from '../../errors'

/** `no volume with name "x" found: no such volume`; `volume rm` exits 1 for it. */
export class NoSuchVolumeError extends TspodError {
  override readonly errorClass: ErrorClass = 'NoSuchObject'
}

/** `volume with name x already exists: volume already exists` */
export class VolumeExistsError extends TspodError {}

/** `volume x is being used by the following container(s): …: volume is being used`; `volume rm` exits 2. */
export class VolumeInUseError extends TspodError {
  override readonly errorClass: ErrorClass = 'InUse'

  constructor(
    readonly volume: string,
    readonly containers: string[],
  ) {
    super(`volume ${volume} is being used by the following container(s): ${containers.join(', ')}: volume is being used`)
  }
}

export function noSuchVolume(name: string): NoSuchVolumeError {
  return new NoSuchVolumeError(`no volume with name ${JSON.stringify(name)} found: no such volume`)
}
