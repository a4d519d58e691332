// run/create --pod-id-file: the pod named by the first line of a file `pod create --pod-id-file` wrote.
import * as fs from 'node:fs'

import {UsageError} from '../engine'

export function podOf(pod: string | undefined, podIdFile: string | undefined): string | undefined {
  if (podIdFile === undefined) return pod
  if (pod) throw new UsageError('cannot specify both --pod and --pod-id-file')
  let content: string
  try {
    content = fs.readFileSync(podIdFile, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const reason = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message
    throw new UsageError(`reading pod ID file: open ${podIdFile}: ${reason}`)
  }
  return content.split('\n')[0]
}
