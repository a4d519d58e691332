// The error convention for every tspod library (see docs/design/errors.md).
// Libraries throw TspodError (or a subclass); only src/cli prints and exits.

export interface ErrorDetails {
  /** errno name such as 'EACCES', copied from a Node or native system error */
  code?: string
  errno?: number
  syscall?: string
  path?: string
  cause?: unknown
}

/**
 * What kind of failure an error is, in Podman's terms; src/cli/exit-codes.ts alone turns a class
 * into an exit status.
 * - EngineError: tspod (or the runtime under it) failed;
 * - CannotInvoke: the container's program (or its working directory) is there but cannot be run;
 * - NotFound: the container's program is not there;
 * - NoSuchObject: a named container, image or volume does not exist;
 * - InUse: a container, image or volume is in a state that refuses the action (running, in use).
 */
export type ErrorClass = 'EngineError' | 'CannotInvoke' | 'NotFound' | 'NoSuchObject' | 'InUse'

export const ERROR_CLASSES: readonly ErrorClass[] = ['EngineError', 'CannotInvoke', 'NotFound', 'NoSuchObject', 'InUse']

export class TspodError extends Error {
  readonly errorClass: ErrorClass = 'EngineError'
  code?: string
  errno?: number
  syscall?: string
  path?: string

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : {cause: details.cause})
    this.name = new.target.name
    this.code = details.code
    this.errno = details.errno
    this.syscall = details.syscall
    this.path = details.path
  }
}

/** A bad flag, argument or reference given by the user. */
export class UsageError extends TspodError {}

/** The command given to a container could not be found. */
export class ExecNotFoundError extends TspodError {
  override readonly errorClass: ErrorClass = 'NotFound'
}

/** The command given to a container exists but cannot be run. */
export class ExecCannotInvokeError extends TspodError {
  override readonly errorClass: ErrorClass = 'CannotInvoke'
}

/** The container could not be started (a host port taken, its monitor's pid file unwritable), as Podman's failed start. */
export class ContainerStartError extends TspodError {
  override readonly errorClass: ErrorClass = 'CannotInvoke'
}

/** The error of a class, e.g. one that crossed the monitor's pipe as its class name. */
export function errorOfClass(errorClass: ErrorClass, message: string, details: ErrorDetails = {}): TspodError {
  if (errorClass === 'NotFound') return new ExecNotFoundError(message, details)
  if (errorClass === 'CannotInvoke') return new ExecCannotInvokeError(message, details)
  return new TspodError(message, details)
}

/** The class of any thrown value: a TspodError's own, anything else is tspod's. */
export function errorClassOf(err: unknown): ErrorClass {
  return err instanceof TspodError ? err.errorClass : 'EngineError'
}

function systemDetails(err: unknown): ErrorDetails {
  if (err === null || typeof err !== 'object') return {}
  const e = err as Record<string, unknown>
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    errno: typeof e.errno === 'number' ? e.errno : undefined,
    syscall: typeof e.syscall === 'string' ? e.syscall : undefined,
    path: typeof e.path === 'string' ? e.path : undefined,
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Prefix context to an error, crun style ("outer: inner"), keeping its errno. */
export function wrap(err: unknown, context: string): TspodError {
  const details = {...systemDetails(err), cause: err}
  const message = `${context}: ${messageOf(err)}`
  if (err instanceof TspodError) {
    const Ctor = err.constructor as new (m: string, d: ErrorDetails) => TspodError
    return new Ctor(message, details)
  }
  return new TspodError(message, details)
}
