// The YAML `kube play` and `kube down` read: a file, `-` for stdin, or an http(s) URL (Podman's readerFromArg).
import * as fs from 'node:fs'

import {TspodError} from '../errors'
import {systemErrorText} from '../runtime/spec/system-error'

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
    throw new TspodError(`open ${source}: ${systemErrorText(err)}`)
  }
}
