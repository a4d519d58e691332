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

/**
 * The job on stdin's first line (or all of stdin when it has no newline), as readLayersJob checks
 * it; what follows the line stays in stdin, paused, for the job to read.
 */
export function readJobLine<T extends {layers: unknown[]}>(): Promise<T> {
  const stdin = process.stdin
  return new Promise<T>((resolve, reject) => {
    const chunks: Buffer[] = []
    const done = (text: string, rest?: Buffer): void => {
      stdin.removeListener('data', onData)
      stdin.removeListener('end', onEnd)
      stdin.removeListener('error', reject)
      stdin.pause()
      if (rest && rest.length > 0) stdin.unshift(rest)
      try {
        const job = JSON.parse(text) as T
        if (!Array.isArray(job.layers)) throw new Error('"layers" must be an array')
        resolve(job)
      } catch (err) {
        reject(err)
      }
    }
    const onData = (chunk: Buffer): void => {
      const nl = chunk.indexOf(0x0a)
      if (nl < 0) return void chunks.push(chunk)
      chunks.push(chunk.subarray(0, nl))
      done(Buffer.concat(chunks).toString('utf8'), chunk.subarray(nl + 1))
    }
    const onEnd = (): void => done(Buffer.concat(chunks).toString('utf8'))
    stdin.on('data', onData)
    stdin.once('end', onEnd)
    stdin.once('error', reject)
  })
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
