// What a failed external runtime said, and the error tspod turns it into.
//
// The runtime writes its errors as JSON lines to `--log FILE --log-format json` (Podman's
// `oci-log`), apart from the container's own stderr: a non-zero exit with an error line there is
// the runtime failing, without one it is the container's exit status. The wording follows
// Podman's getOCIRuntimeError (libpod/oci_util.go): "<runtime>: <message>: <kind>". Failures to
// find or run the container's program map like Podman's ExitCode: "not found" / "no such file"
// give 127, anything else 126; the runtime failing before that (mounts, namespaces) is tspod's
// 125, as with the native runtime.
import * as fs from 'node:fs'

import {ExecCannotInvokeError, ExecNotFoundError, TspodError} from '../../errors'

export const OCI_PERMISSION_DENIED = 'OCI permission denied'
export const OCI_NOT_FOUND = 'OCI runtime attempted to invoke a command that was not found'
export const OCI_RUNTIME_ERROR = 'OCI runtime error'

export interface RuntimeLogEntry {
  level: string
  msg: string
}

/** The JSON lines of a runtime log (crun: {msg, level, time}; runc: {level, msg, time, ...}). */
export function parseRuntimeLog(text: string): RuntimeLogEntry[] {
  const entries: RuntimeLogEntry[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const value = JSON.parse(line) as {level?: unknown; msg?: unknown}
      if (typeof value.msg === 'string') entries.push({level: typeof value.level === 'string' ? value.level : 'error', msg: value.msg})
    } catch {
      entries.push({level: 'error', msg: line.trim()}) // a runtime that ignored --log-format
    }
  }
  return entries
}

export function readRuntimeLog(file: string): RuntimeLogEntry[] {
  try {
    return parseRuntimeLog(fs.readFileSync(file, 'utf8'))
  } catch {
    return []
  }
}

/** The runtime's last error, if it logged one. */
export function runtimeFailure(entries: RuntimeLogEntry[]): string | undefined {
  const errors = entries.filter((e) => e.level === 'error' || e.level === 'fatal')
  return errors.length > 0 ? errors[errors.length - 1].msg : undefined
}

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

function podmanKind(message: string): string {
  if (/permission denied|operation not permitted/i.test(message)) return OCI_PERMISSION_DENIED
  if (/executable file not found in|no such file or directory|open executable/i.test(message)) return OCI_NOT_FOUND
  return OCI_RUNTIME_ERROR
}

/** The error for a runtime that logged `message` and exited non-zero. */
export function runtimeError(runtimeName: string, message: string): TspodError {
  const kind = podmanKind(message)
  const text = `${runtimeName}: ${message}: ${kind}`
  const details = {syscall: 'exec'}
  if (EXEC_FAILURES.some((re) => re.test(message))) {
    // Podman's 126 for a working directory that cannot be entered, as tspod's native runtime
    if (CWD_FAILURE.test(message)) return new ExecCannotInvokeError(text, details)
    const lower = text.toLowerCase()
    if (lower.includes('not found') || lower.includes('no such file') || lower.includes('executable path is empty'))
      return new ExecNotFoundError(text, details)
    return new ExecCannotInvokeError(text, details)
  }
  const code = kind === OCI_PERMISSION_DENIED ? (/operation not permitted/i.test(message) ? 'EPERM' : 'EACCES') : undefined
  return new TspodError(text, {code})
}
