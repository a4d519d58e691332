// The protocol of tspod's worker processes that handle layers inside the user namespace (unpack,
// mapped-layer copies): a job as JSON on stdin, one JSON line per result on stdout, exit status 0
// when every layer was done.
export function emitLine(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

/** The job on stdin; one without a `layers` array is refused. */
export async function readLayersJob<T extends {layers: unknown[]}>(): Promise<T> {
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  const job = JSON.parse(text) as T
  if (!Array.isArray(job.layers)) throw new Error('"layers" must be an array')
  return job
}

export function runWorker(main: () => Promise<number>): void {
  void main().then((code) => {
    process.exitCode = code
  })
}

/**
 * Why a worker ended without answering every job: how it exited and the line of its stderr that
 * says what went wrong (an uncaught error's message, not the first line of its stack).
 */
export function workerFailure(exit: {code: number | null; signal: string | null}, stderr: string): string {
  const how = exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  const cause = lines.find((l) => /^[A-Za-z]*Error\b[^:]*:/.test(l)) ?? lines[0]
  return `worker failed (${how})${cause ? `: ${cause}` : ''}`
}
