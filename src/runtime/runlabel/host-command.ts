// A label's command run on the host, as Podman runs it (Go's exec.Command): the program and its
// arguments exec'd directly, never through a shell; a bare name found in PATH. Its failure is
// told in Podman's words: "`PROGRAM ARGS` failed: exit status N" (or "signal: killed", or why it
// could not start).
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'

/** Go's names of the signals a command most often dies of (syscall's signal table). */
const SIGNAL_TEXT: Record<string, string> = {
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGILL: 'illegal instruction',
  SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGKILL: 'killed',
  SIGUSR1: 'user defined signal 1',
  SIGSEGV: 'segmentation fault',
  SIGUSR2: 'user defined signal 2',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGTERM: 'terminated',
}

function isExecutableFile(file: string): boolean {
  try {
    const st = fs.statSync(file)
    return st.isFile() && (st.mode & 0o111) !== 0
  } catch {
    return false
  }
}

/** A bare program name looked up in PATH (as Go's exec.LookPath); a name with a slash is used as it is. */
export function lookPath(name: string, searchPath = process.env.PATH ?? ''): string {
  if (name.includes('/')) return name
  for (const dir of searchPath.split(':')) {
    const candidate = path.join(dir === '' ? '.' : dir, name)
    if (isExecutableFile(candidate)) return candidate
  }
  throw new TspodError(`exec: ${JSON.stringify(name)}: executable file not found in $PATH`, {code: 'ENOENT'})
}

export interface HostCommand {
  /** the program as the user is told of it (the label's word) */
  program: string
  /** what is exec'd: the file and its argv after argv[0] */
  file: string
  args: string[]
  /** the words shown after the program in an error (the label's arguments) */
  shownArgs: string[]
  env: NodeJS.ProcessEnv
  /** true: the command's stdio is the caller's; false: /dev/null (--quiet) */
  inheritStdio: boolean
}

/** Run the command to its end; rejects, in Podman's words, unless it exits 0. */
export async function runHostCommand(command: HostCommand): Promise<void> {
  const failed = (why: string) => new TspodError(`\`${command.program} ${command.shownArgs.join(' ')}\` failed: ${why}`)
  let file: string
  try {
    file = lookPath(command.file, command.env.PATH ?? '')
  } catch (err) {
    throw failed((err as Error).message)
  }
  const child = spawn(file, command.args, {env: command.env, stdio: command.inheritStdio ? 'inherit' : 'ignore', shell: false})
  const outcome = await new Promise<{code: number | null; signal: NodeJS.Signals | null} | {error: NodeJS.ErrnoException}>((resolve) => {
    child.once('error', (error) => resolve({error}))
    child.once('exit', (code, signal) => resolve({code, signal}))
  })
  if ('error' in outcome) {
    const reason = outcome.error.code === 'EACCES' ? 'permission denied' : outcome.error.code === 'ENOENT' ? 'no such file or directory' : outcome.error.message
    throw failed(`fork/exec ${file}: ${reason}`)
  }
  if (outcome.signal) throw failed(`signal: ${SIGNAL_TEXT[outcome.signal] ?? outcome.signal}`)
  if (outcome.code !== 0) throw failed(`exit status ${outcome.code}`)
}
