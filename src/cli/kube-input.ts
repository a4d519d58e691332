// The YAML `kube play` and `kube down` read: a file, `-` for stdin, or an http(s) URL (Podman's readerFromArg).
import * as fs from 'node:fs'

import {TspodError} from '../engine'

export async function readKubeInput(source: string): Promise<string> {
  if (source === '-') return fs.readFileSync(0, 'utf8')
  if (/^https?:\/\//.test(source)) {
    let response: Response
    try {
      response = await fetch(source)
    } catch (err) {
      throw new TspodError(`Get ${JSON.stringify(source)}: ${(err as {cause?: Error}).cause?.message ?? (err as Error).message}`)
    }
    return await response.text()
  }
  try {
    return fs.readFileSync(source, 'utf8')
  } catch (err) {
    // Node's "ENOENT: no such file or directory, open 'X'" in Go's words
    const text = /^[A-Z]+: ([^,]+)/.exec((err as Error).message)?.[1] ?? (err as Error).message
    throw new TspodError(`open ${source}: ${text}`)
  }
}

/** `kube generate -f FILE`: never over an existing file, as Podman. */
export function writeKubeOutput(file: string, text: string): void {
  if (fs.existsSync(file)) throw new TspodError(`cannot write to ${JSON.stringify(file)}; file exists`)
  try {
    fs.writeFileSync(file, text, {mode: 0o644})
  } catch (err) {
    throw new TspodError(`cannot write to ${JSON.stringify(file)}: ${(err as Error).message}`)
  }
}
