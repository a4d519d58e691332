// The one place that decides what kind of failure a container start was, from the facts its
// starter reports: tspod's child and exec helper send the step that failed and the errno
// (native/src/report.h), an external runtime (crun, runc) logs a message. Neither decides an
// exit status; src/cli/exit-codes.ts turns the class into one.
import type {ErrorClass} from '../errors'

export type StartFailure =
  /** tspod's child or its exec helper: the step (exec, chdir, mount ..., as named in the report) and its errno name */
  | {step: string; code: string}
  /** an external runtime: its last logged error (its own words) */
  | {runtimeMessage: string}

/** The exec helper's steps (native/exec-helper/tspod-exec-helper.c) and the child's chdir steps (native/src/child.c). */
const EXEC = 'exec'
/** the program exists but its ELF (or #!) interpreter does not, as crun reports it */
const EXEC_INTERPRETER = 'exec-interpreter'
/** entering process.cwd: crun fails it at exec time too, and Podman counts it as the program's */
const CWD_STEPS = new Set(['chdir', 'chdir-magic-link', 'chdir-outside-root'])

/**
 * Messages about the container's program or its working directory, which the runtime reports
 * only after the container is set up: crun's find_executable/check_access/execv and chdir
 * errors, runc's `exec: "x": ...` (Go's LookPath) and its cwd error.
 */
const EXEC_FAILURES: RegExp[] = [
  /^executable file `.*` not found/,
  /^cannot find `.*` in \$PATH/,
  /^open executable: /,
  /^the path `.*` (is not a regular file|exists but it is not executable)/,
  /^exec container process /,
  /^chdir to `/,
  /unable to start container process: exec: "/,
  /unable to start container process: .*chdir to cwd/,
]

const CWD_FAILURE = /^chdir to `|chdir to cwd/

/** Podman's ExitCode(): a runtime message naming a missing program is "not found", as its OCI_NOT_FOUND kind. */
function runtimeMessageIsNotFound(message: string): boolean {
  if (/not found|no such file|executable path is empty/i.test(message)) return true
  return /open executable/i.test(message) && !/permission denied|operation not permitted/i.test(message)
}

/**
 * A program that is missing is NotFound; one that is there but cannot be run, or a working
 * directory that cannot be entered, is CannotInvoke; any other step (mounts, ids, seccomp,
 * namespaces) is tspod's own failure, EngineError, as with Podman under crun.
 */
export function startFailureClass(failure: StartFailure): ErrorClass {
  if ('runtimeMessage' in failure) {
    const message = failure.runtimeMessage
    if (!EXEC_FAILURES.some((re) => re.test(message))) return 'EngineError'
    if (CWD_FAILURE.test(message)) return 'CannotInvoke'
    return runtimeMessageIsNotFound(message) ? 'NotFound' : 'CannotInvoke'
  }
  if (failure.step === EXEC_INTERPRETER) return 'NotFound'
  if (failure.step === EXEC) return failure.code === 'ENOENT' || failure.code === 'ENOTDIR' ? 'NotFound' : 'CannotInvoke'
  if (CWD_STEPS.has(failure.step)) return 'CannotInvoke'
  return 'EngineError'
}
