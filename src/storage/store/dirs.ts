import * as fs from 'node:fs'

import {TspodError} from '../../errors'

/** Create dir (and parents) if missing; the dir itself is made 0700, like containers-storage's roots. */
export function ensurePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, {recursive: true, mode: 0o700})
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`creating ${dir}: ${e.message}`, {code: e.code, path: e.path ?? dir, cause: err})
  }
  const st = fs.statSync(dir)
  const uid = process.getuid!()
  if (uid !== 0 && (st.uid !== uid || (st.mode & 0o022) !== 0))
    throw new TspodError(`path "${dir}" exists and it is not writeable only by the current user`, {path: dir})
}
