// What a failed external runtime said, and the error tspod turns it into.
//
// The runtime writes its errors as JSON lines to `--log FILE --log-format json` (Podman's
// `oci-log`), apart from the container's own stderr: a non-zero exit with an error line there is
// the runtime failing, without one it is the container's exit status. The wording follows
// Podman's getOCIRuntimeError (libpod/oci_util.go): "<runtime>: <message>: <kind>". Its class
// (the program missing, not runnable, or the runtime failing before it) is failure-class.ts's.
import * as fs from 'node:fs'

import {TspodError, errorOfClass} from '../../errors'
import {startFailureClass} from '../failure-class'

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

function podmanKind(message: string): string {
  if (/permission denied|operation not permitted/i.test(message)) return OCI_PERMISSION_DENIED
  if (/executable file not found in|no such file or directory|open executable/i.test(message)) return OCI_NOT_FOUND
  return OCI_RUNTIME_ERROR
}

/** The error for a runtime that logged `message` and exited non-zero. */
export function runtimeError(runtimeName: string, message: string): TspodError {
  const kind = podmanKind(message)
  const text = `${runtimeName}: ${message}: ${kind}`
  const errorClass = startFailureClass({runtimeMessage: message})
  if (errorClass !== 'EngineError') return errorOfClass(errorClass, text, {syscall: 'exec'})
  const code = kind === OCI_PERMISSION_DENIED ? (/operation not permitted/i.test(message) ? 'EPERM' : 'EACCES') : undefined
  return new TspodError(text, {code})
}
