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
