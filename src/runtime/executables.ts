// Finding the helper programs tspod runs (slirp4netns, fuse-overlayfs, fusermount3) as Podman
// finds them: an executable regular file, in $PATH (and, where Podman also looks there, the
// usual bin dirs).
import * as fs from 'node:fs'
import * as path from 'node:path'

export const USUAL_BIN_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin']

export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** The first of `names` found as an executable in `envPath`'s absolute dirs, then in `extraDirs`. */
export function findInPath(names: string[], envPath = process.env.PATH ?? '', extraDirs: string[] = []): string | undefined {
  const dirs = [...envPath.split(':').filter((d) => path.isAbsolute(d)), ...extraDirs]
  for (const name of names) for (const dir of dirs) if (isExecutableFile(path.join(dir, name))) return path.join(dir, name)
  return undefined
}
