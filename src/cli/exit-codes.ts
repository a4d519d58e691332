// The one place that turns what went wrong into tspod's exit status, as Podman's: libraries
// throw errors of a class (src/errors.ts ErrorClass; a container start's class comes from
// src/runtime/failure-class.ts), and only this file knows their numbers. A container's own exit
// status is not decided here: it passes through as the program gave it.
// (test/cli/exit-code-sites.test.ts keeps every other file free of these numbers.)
import {ErrorClass, errorClassOf} from '../errors'
import {isExit} from './exit'

/** Podman's exit status for each class when one command fails (define.ExecErrorCode*). */
const EXIT_STATUS: Record<ErrorClass, number> = {
  EngineError: 125,
  CannotInvoke: 126,
  NotFound: 127,
  // a missing or busy target on its own is a plain failure; the removal verbs say 1 and 2 (below)
  NoSuchObject: 125,
  InUse: 125,
}

/** The multi-target removal verbs' statuses (rm, rmi, volume rm), as Podman's setExitCode. */
const TARGET_MISSING = 1
const TARGET_IN_USE = 2

/** An unknown --log-level, or --log-level with --debug: Podman exits 1 before any command runs. */
export const EXIT_BAD_LOGGING = 1

/** tspod's own failure, the status oclif's parse errors get too (package.json oclif.exitCodes). */
export const EXIT_ENGINE = EXIT_STATUS.EngineError

export function exitStatusOfClass(errorClass: ErrorClass): number {
  return EXIT_STATUS[errorClass]
}

/**
 * The exit status of one error: oclif's this.exit(n) keeps its n; a TspodError's class gives
 * its status; anything else is tspod's own failure. Also the status recorded for a container
 * whose program never ran (inspect's State.ExitCode, `wait`; see launch.ts recordExit).
 */
export function exitCodeFor(err: unknown): number {
  if (isExit(err)) return err.oclif.exit
  return exitStatusOfClass(errorClassOf(err))
}

/** Several targets, each tried (stop, kill, start, restart, wait): the last error decides. */
export function lastErrorExitCode(errors: unknown[]): number {
  return errors.length === 0 ? 0 : exitCodeFor(errors[errors.length - 1])
}

/**
 * `rm`, `rmi`: 2 when a target was in use (a running container, an image a container uses),
 * else 1 when every failure was a missing target, else tspod's own failure.
 */
export function removalExitCode(errors: unknown[]): number {
  if (errors.length === 0) return 0
  const classes = errors.map(errorClassOf)
  if (classes.includes('InUse')) return TARGET_IN_USE
  return classes.every((c) => c === 'NoSuchObject') ? TARGET_MISSING : EXIT_ENGINE
}

/** `volume rm`, as Podman's: the last missing (1) or in-use (2) volume decides; else tspod's own failure. */
export function volumeRemovalExitCode(errors: unknown[]): number {
  if (errors.length === 0) return 0
  let code = EXIT_ENGINE
  for (const errorClass of errors.map(errorClassOf)) {
    if (errorClass === 'NoSuchObject') code = TARGET_MISSING
    else if (errorClass === 'InUse') code = TARGET_IN_USE
  }
  return code
}
