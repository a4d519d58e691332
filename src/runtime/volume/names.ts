// Volume names as Podman checks them (libpod/define NameRegex) and the random names it gives
// volumes created without one (containers/storage stringid.GenerateRandomID).
import * as crypto from 'node:crypto'

import {UsageError} from '../../errors'
import {VOLUME_NAME_PATTERN} from '../../specgen/volumes'

/** Podman's words, as `volume create` prints them. */
export function validateVolumeName(name: string): void {
  if (!VOLUME_NAME_PATTERN.test(name))
    throw new UsageError('running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument')
}

/** 64 hex digits whose first 12 are not all decimal (they would read as a number when shortened). */
export function randomVolumeName(): string {
  for (;;) {
    const name = crypto.randomBytes(32).toString('hex')
    if (!/^\d{12}/.test(name)) return name
  }
}
