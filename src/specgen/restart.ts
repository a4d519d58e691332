// --restart POLICY[:RETRIES]: what happens when a container exits on its own (Podman's
// RestartPolicy and RestartRetries). The container's monitor applies it (monitor-cleanup.ts).
import {UsageError} from '../errors'

/** '' (none given), no, always, on-failure, unless-stopped */
export interface RestartPolicy {
  policy: string
  /** on-failure:N; 0: no limit */
  retries: number
}

export const NO_RESTART: RestartPolicy = {policy: '', retries: 0}

const POLICIES = ['', 'no', 'always', 'on-failure', 'unless-stopped']

/** The names `--filter restart-policy=` takes: `none` is no policy given. */
export const RESTART_POLICY_NAMES = ['none', 'no', 'always', 'on-failure', 'unless-stopped']

/** Parsed and checked as Podman does, with its messages; `--rm` allows only no and on-failure. */
export function parseRestartPolicy(text: string | undefined, autoRemove: boolean): RestartPolicy {
  if (text === undefined || text === '') return NO_RESTART
  if (autoRemove && text !== 'no' && text !== 'on-failure') throw new UsageError('the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"')
  const parts = text.split(':')
  if (parts.length > 2) throw new UsageError('invalid restart policy: may specify retries at most once')
  let retries = 0
  if (parts.length === 2) {
    if (parts[0].toLowerCase() !== 'on-failure') throw new UsageError('restart policy retries can only be specified with on-failure restart policy')
    if (!/^[+-]?\d+$/.test(parts[1])) throw new UsageError(`parsing restart policy retry count: strconv.Atoi: parsing ${JSON.stringify(parts[1])}: invalid syntax`)
    retries = Number(parts[1])
    if (retries < 0) throw new UsageError('must specify restart policy retry count as a number greater than 0')
  }
  if (!POLICIES.includes(parts[0])) throw new UsageError(`running container create option: ${JSON.stringify(parts[0])} is not a valid restart policy: invalid argument`)
  return {policy: parts[0], retries}
}

/**
 * Whether a container that exited with `exitCode`, not stopped by the user, is started again,
 * having been restarted `restartCount` times by its policy.
 */
export function restartsAfterExit(restart: RestartPolicy, exitCode: number, restartCount: number): boolean {
  switch (restart.policy) {
    case 'always':
    case 'unless-stopped':
      return true
    case 'on-failure':
      return exitCode !== 0 && (restart.retries === 0 || restartCount < restart.retries)
    default:
      return false
  }
}
