// `crun run` prints a container's exec failure twice: in its log, which tspod turns into the one
// "Error: crun: …" line Podman prints, and as the first line of the container's stderr. Podman
// (crun create, then start) shows only the first. That first line is held back here while it
// looks like such a failure, and dropped once the runtime reports the same failure.
import {Readable, Transform, TransformCallback} from 'node:stream'

/** crun's words for a program it could not run or a working dir it could not enter. */
const EXEC_FAILURE = /^(?:executable file `[^`\n]*` not found in \$PATH|open executable|chdir to `[^`\n]*`|exec(?:ve)?(?: `[^`\n]*`)?): [^\n]*$/
/** more than this and it is the container's own output */
const MAX_HELD = 4096

export function withoutRuntimeEcho(stderr: Readable, exited: Promise<unknown>): Readable {
  let held: Buffer | undefined = Buffer.alloc(0)
  const failure = exited.then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  )
  const release = (out: Transform): void => {
    if (held?.length) out.push(held)
    held = undefined
  }
  const filter = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (held === undefined) return done(null, chunk)
      held = Buffer.concat([held, chunk])
      if (!stillHeld(held)) release(this)
      done()
    },
    flush(done: TransformCallback) {
      if (held === undefined || held.length === 0) return done()
      const line = held.toString('utf8').trimEnd()
      void failure.then((message) => {
        if (!(message !== undefined && EXEC_FAILURE.test(line) && message.includes(line))) release(this)
        done()
      })
    },
  })
  stderr.on('error', (err) => filter.destroy(err))
  return stderr.pipe(filter)
}

/** Whether the output so far may still be only the runtime's echo of an exec failure. */
function stillHeld(output: Buffer): boolean {
  if (output.length > MAX_HELD) return false
  const newline = output.indexOf(0x0a)
  if (newline < 0) return couldStillMatch(output.toString('utf8'))
  return newline === output.length - 1 && EXEC_FAILURE.test(output.subarray(0, newline).toString('utf8'))
}

/** A partial first line that may still grow into an exec failure line. */
function couldStillMatch(partial: string): boolean {
  return ['executable file `', 'open executable', 'chdir to `', 'exec'].some((start) => start.startsWith(partial) || partial.startsWith(start))
}
