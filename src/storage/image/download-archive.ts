// `load -i URL`: an archive fetched over http(s) into a local file first (as `podman load` does),
// with the registry client's connect and idle deadlines, so a silent server fails rather than hangs.
import * as fs from 'node:fs'

import {TspodError, wrap} from '../../errors'
import {DEFAULT_TIMEOUTS, httpGet} from './transports/docker/http-request'

export function isArchiveUrl(input: string): boolean {
  return /^https?:\/\//i.test(input)
}

export async function downloadArchive(url: string, file: string, signal?: AbortSignal): Promise<void> {
  try {
    const response = await httpGet(url, {headers: {}, timeouts: DEFAULT_TIMEOUTS, insecureTls: false, signal})
    if (response.status !== 200) {
      response.body.cancel()
      throw new TspodError(`server answered ${response.status} ${response.statusText}`.trimEnd())
    }
    const out = fs.openSync(file, 'w', 0o600)
    try {
      for (let chunk = await response.body.read(); chunk !== undefined; chunk = await response.body.read()) fs.writeSync(out, chunk)
    } finally {
      fs.closeSync(out)
    }
  } catch (err) {
    throw wrap(err, `downloading ${url}`)
  }
}
