// Run one host program as root of the store's user namespace (as `podman unshare` would), so
// that it may own files by subordinate ids; for a real-root store, as root directly. Mount
// steps, when given, run first in a private mount namespace of the child.
import * as fs from 'node:fs'
import {Readable} from 'node:stream'
import {finished} from 'node:stream/promises'

import {TspodError} from '../../errors'
import {ChildStep, NamespaceName} from '../../native'
import type {UserNamespaceMapping} from '../../userns/idmap'
import {NamespacedChild, spawnInNamespaces} from '../../userns/spawn'

async function collect(stream: Readable): Promise<string> {
  let text = ''
  stream.on('data', (d: Buffer) => (text += d.toString()))
  await finished(stream).catch(() => undefined)
  return text
}

export interface MappedRootRun {
  /** an absolute path: the child has no PATH lookup of ours */
  file: string
  argv: string[]
  /** mount steps before the program; they get a private mount namespace */
  steps?: ChildStep[]
  /** what the program was doing, for the error: 'chowning volume directory "…" to 1:1' */
  doing: string
  /** exit codes besides 0 that are outcomes, not failures */
  okCodes?: number[]
  /** fds for the program's stdin and stdout (default /dev/null) */
  stdin?: number
  stdout?: number
}

/**
 * Resolves with the exit code when it is 0 or one of okCodes; otherwise rejects with the
 * program's first line of stderr. A failing mount step rejects with the step's error (its
 * `syscall` is the step's name, `code` the errno name).
 */
export async function runAsMappedRoot(mapping: UserNamespaceMapping | undefined, run: MappedRootRun): Promise<number> {
  const namespaces: NamespaceName[] = []
  if (mapping) namespaces.push('user')
  if (run.steps?.length) namespaces.push('mount')
  const devNull = fs.openSync('/dev/null', 'r+')
  let child: NamespacedChild
  try {
    child = await spawnInNamespaces({
      namespaces,
      mapping,
      steps: run.steps,
      command: {file: run.file, argv: run.argv, env: ['PATH=/usr/bin:/bin', 'LC_ALL=C']},
      stdio: [run.stdin ?? devNull, run.stdout ?? devNull, 'pipe'],
    })
  } finally {
    fs.closeSync(devNull)
  }
  const stderr = collect(child.stderr!)
  const exit = await child.exited
  if (exit.code !== null && (exit.code === 0 || run.okCodes?.includes(exit.code))) return exit.code
  const first = (await stderr).trim().split('\n')[0]
  const how = exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`
  throw new TspodError(`${run.doing}: ${first || `${run.argv[0]} ${how}`}`)
}
