// --tz: the container's /etc/localtime, a copy of a zone file from the host's
// /usr/share/zoneinfo (or of the host's own /etc/localtime for `local`), bound over the image's,
// as Podman does. TZ is left alone.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../../errors'
import type {CopiedFile} from './container-files'

const ZONEINFO = '/usr/share/zoneinfo'
const HOST_LOCALTIME = '/etc/localtime'

/** The zone file's path on the host; a missing zone is refused in Podman's words. */
export function zoneFilePath(zone: string): string {
  if (zone === 'local') return HOST_LOCALTIME
  const file = path.join(ZONEINFO, zone)
  if (path.isAbsolute(zone) || !file.startsWith(`${ZONEINFO}/`))
    throw new UsageError(`--tz ${zone}: a zone is a name under ${ZONEINFO} (Europe/Berlin, UTC, MST7MDT) or local`)
  return file
}

export function timezoneFile(zone: string): CopiedFile {
  const file = zoneFilePath(zone)
  let content: Buffer
  try {
    // a zone's file may be a symlink (Debian links the old names): its target is copied
    content = fs.readFileSync(file)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const reason = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EISDIR' ? 'is a directory' : e.message
    throw new UsageError(`running container create option: stat ${file}: ${reason}: --tz takes a zone under ${ZONEINFO} (Europe/Berlin, UTC) or local`, {code: e.code, path: file})
  }
  return {destination: '/etc/localtime', content, mode: 0o644}
}
