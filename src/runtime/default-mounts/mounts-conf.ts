// containers-mounts.conf(5): the host files and dirs every container (and every build's RUN step)
// gets, one `HOST[:CONTAINER]` a line. As containers/common's subscriptions package, only the first
// file that exists is read: ~/.config/containers/mounts.conf (rootless), then
// /etc/containers/mounts.conf, then /usr/share/containers/mounts.conf; `--default-mounts-file`
// (or containers.conf's default_mounts_file) names the only file read.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {readContainersConf} from '../../storage/config/containers-conf'

export const DEFAULT_MOUNTS_FILE = '/usr/share/containers/mounts.conf'
export const OVERRIDE_MOUNTS_FILE = '/etc/containers/mounts.conf'

export interface MountsConfChoice {
  /** --default-mounts-file, else containers.conf's default_mounts_file: the only file read */
  file?: string
  rootless: boolean
  /** $HOME, for the rootless user's own file */
  home?: string
}

/** The files a container's default mounts may come from, in the order they are tried. */
export function mountsConfCandidates(choice: MountsConfChoice): string[] {
  if (choice.file) return [choice.file]
  const system = [OVERRIDE_MOUNTS_FILE, DEFAULT_MOUNTS_FILE]
  if (!choice.rootless || !choice.home) return system
  return [path.join(choice.home, '.config/containers/mounts.conf'), ...system]
}

/** The first candidate that exists: none is the rule on most hosts, and means no default mounts. */
export function findMountsConf(candidates: string[]): string | undefined {
  return candidates.find((file) => {
    try {
      fs.statSync(file)
      return true
    } catch {
      return false
    }
  })
}

/** The mounts.conf this process reads (`flag`: --default-mounts-file), if any exists. */
export function chosenMountsConf(flag: string | undefined): string | undefined {
  const file = flag ?? readContainersConf().defaultMountsFile
  return findMountsConf(mountsConfCandidates({file, rootless: process.getuid!() !== 0, home: process.env.HOME}))
}

export interface DefaultMountEntry {
  /** the host file or dir, as written */
  host: string
  /** where it goes in the container: absolute and clean (a `..` cannot climb above /) */
  container: string
}

/**
 * The entries of a mounts.conf. Lines that do not start with `/` (comments, blank lines, relative
 * paths) are not entries, as containers/common skips them; a container path of `/` (or none after
 * the colon) could only hide the whole root, so that entry is skipped too.
 */
export function parseMountsConf(text: string): DefaultMountEntry[] {
  const entries: DefaultMountEntry[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line.startsWith('/')) continue
    const colon = line.indexOf(':')
    const host = colon < 0 ? line : line.slice(0, colon)
    const container = path.posix.resolve('/', colon < 0 ? line : line.slice(colon + 1))
    if (container === '/') continue
    entries.push({host, container})
  }
  return entries
}

/** The entries of `file`; one that cannot be read gives none, as containers/common skips it. */
export function readMountsConf(file: string): DefaultMountEntry[] {
  try {
    return parseMountsConf(fs.readFileSync(file, 'utf8'))
  } catch {
    return []
  }
}
