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

export class TspodError extends Error {
  readonly exitCode: number = 125
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

/** The command given to a container could not be found (exit 127). */
export class ExecNotFoundError extends TspodError {
  override readonly exitCode = 127
}

/** The command given to a container exists but cannot be run (exit 126). */
export class ExecCannotInvokeError extends TspodError {
  override readonly exitCode = 126
}

/** The container could not be started (a host port taken, its monitor's pid file unwritable): 126, as Podman's failed start. */
export class ContainerStartError extends TspodError {
  override readonly exitCode = 126
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
