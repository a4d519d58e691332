// `secret create`'s data: a file, stdin for `-`, or (--env) an environment variable of tspod's.
import * as fs from 'node:fs'

import {UsageError} from '../engine/errors'

/** Read the secret's data: a file, stdin for `-`, or (--env) the named environment variable. */
export function secretData(source: string, env: boolean): Buffer {
  if (env) {
    const value = process.env[source]
    if (value === undefined) throw new UsageError(`cannot create store secret data: environment variable ${source} is not set`)
    return Buffer.from(value)
  }
  try {
    return fs.readFileSync(source === '-' ? 0 : source)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EISDIR') return Buffer.alloc(0) // as Podman: no data, refused for its size
    throw new UsageError(`open ${source}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message}`)
  }
}

