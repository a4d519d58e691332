// A git repository as the build context, as buildah's: `git://…`, or an http(s) URL whose path
// ends in .git, with an optional `#REF[:SUBDIR]`. The repository is fetched with the host's git
// (`git init`, `git fetch --depth=1 origin REF`, REF defaulting to HEAD, then a checkout of what was fetched) into a
// work dir; SUBDIR of it, or all of it, is the context.
import {execFile} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../errors'

export function isGitContext(source: string): boolean {
  if (source.startsWith('git://')) return true
  if (!/^https?:\/\//i.test(source)) return false
  try {
    return new URL(source).pathname.endsWith('.git')
  } catch {
    return false
  }
}

/** `repo#ref:subdir` into its parts. */
export function parseGitContext(source: string): {repo: string; ref?: string; subdir?: string} {
  const hash = source.indexOf('#')
  if (hash < 0) return {repo: source}
  const [ref, subdir] = source.slice(hash + 1).split(':')
  return {repo: source.slice(0, hash), ref: ref || undefined, subdir: subdir || undefined}
}

function git(args: string[], cwd: string, what: string, source: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('git', args, {cwd, signal, env: {...process.env, GIT_TERMINAL_PROMPT: '0'}}, (err, stdout, stderr) => {
      if (!err) return resolve()
      const last = `${stderr}${stdout}`.trim().split('\n').pop() || (err as Error).message
      reject(new TspodError(`cloning ${JSON.stringify(source)}: failed while performing \`git ${what}\`: ${last}`))
    })
  })
}

/** Fetch `source` into `dir` (made here); returns the context dir. */
export async function cloneGitContext(source: string, dir: string, signal?: AbortSignal): Promise<string> {
  const {repo, ref, subdir} = parseGitContext(source)
  fs.mkdirSync(dir, {mode: 0o755})
  await git(['init', '-q', dir], dir, 'init', source, signal)
  await git(['remote', 'add', 'origin', repo], dir, 'remote add', source, signal)
  await git(['fetch', '-q', '--depth=1', 'origin', '--', ref ?? 'HEAD'], dir, 'fetch', source, signal)
  await git(['checkout', '-q', 'FETCH_HEAD'], dir, 'checkout', source, signal)
  if (subdir === undefined) return dir
  const context = path.join(dir, path.posix.normalize(`/${subdir}`))
  if (!fs.statSync(context, {throwIfNoEntry: false})?.isDirectory()) throw new TspodError(`cloning ${JSON.stringify(source)}: ${subdir}: no such directory in the repository`)
  return context
}
