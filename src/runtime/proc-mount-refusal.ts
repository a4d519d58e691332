// Why the kernel refused the container a new /proc, in one line. Inside a user namespace a new
// proc instance is allowed only while the caller's /proc is fully visible (the kernel's
// mount_too_revealing): a mount over part of it (a tmpfs over /proc/acpi, a read-only bind of
// /proc/sys, as another container or sandbox sets up) makes it fail with EPERM. tspod refuses the
// container then: a bind of the host's /proc would show it every host process.
import * as fs from 'node:fs'

import {TspodError} from '../errors'

/** Mount points the kernel lets cover /proc: permanently empty dirs of procfs. */
const HARMLESS_PROC_MOUNTS = new Set(['/proc/sys/fs/binfmt_misc'])

/** Mount points below /proc in this mount namespace (mountinfo's fifth field, octal escapes decoded). */
export function mountsOverProc(mountinfo = '/proc/self/mountinfo'): string[] {
  let text: string
  try {
    text = fs.readFileSync(mountinfo, 'utf8')
  } catch {
    return []
  }
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
    .filter((p) => p.startsWith('/proc/') && !HARMLESS_PROC_MOUNTS.has(p))
  return [...new Set(points)]
}

function isProcMountStep(step: string | undefined): boolean {
  return step !== undefined && /^mount `proc` to `/.test(step)
}

/** The container's proc mount failing with EPERM, explained; any other error as it is. */
export function explainProcMountRefusal(err: unknown, mountinfo?: string): unknown {
  if (!(err instanceof TspodError) || !isProcMountStep(err.syscall) || err.code !== 'EPERM') return err
  const covered = mountsOverProc(mountinfo)
  const shown = covered.length > 3 ? [...covered.slice(0, 3), '…'] : covered
  const cause =
    covered.length > 0
      ? `the kernel refuses a new /proc in a user namespace while mounts cover parts of this one (${shown.join(', ')}), as inside another container or sandbox`
      : 'the kernel refuses a new /proc in a user namespace here (inside another container or sandbox whose /proc is not fully visible?)'
  return new TspodError(
    `${err.message}: ${cause}; run tspod where /proc is fully visible (for an outer Podman container: --security-opt unmask=ALL)`,
    {code: err.code, errno: err.errno, syscall: err.syscall, path: err.path, cause: err},
  )
}
