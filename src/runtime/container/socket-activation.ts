// systemd socket activation through a container, as Podman's: when the starting process has
// LISTEN_FDS=N (its LISTEN_PID is not checked, as Podman does not), the fds 3 .. 3+N-1 go into
// the container (the --preserve-fds plumbing) and its program gets LISTEN_PID=1, LISTEN_FDS=N and
// LISTEN_FDNAMES. An explicit --preserve-fds wins over it. Only a foreground start (run, start
// --attach) has the caller's fds to pass.
import {ContainerStartError} from '../../errors'
import type {Container} from './config'
import {checkPreservedFds} from './preserve-fds'

const LISTEN_VARIABLES = ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES']

export const PRESERVE_FDS_WIN_WARNING = 'Ignoring LISTEN_FDS to preserve custom user-specified FDs'

export interface SocketActivation {
  container: Container
  /** the fds to pass: LISTEN_FDS, or --preserve-fds when that is given */
  preserveFds: number
  warnings: string[]
}

/** Undefined when the starting process was not socket-activated (no LISTEN_FDS). */
export function socketActivation(container: Container, preserveFds: number, hostEnv: NodeJS.ProcessEnv): SocketActivation | undefined {
  const value = hostEnv.LISTEN_FDS
  if (!value) return undefined
  if (!/^[+-]?\d+$/.test(value)) throw new ContainerStartError(`converting LISTEN_FDS=${value}: parsing "${value}": invalid syntax`)
  const fds = Math.max(0, Number(value))
  const warnings = preserveFds > 0 ? [PRESERVE_FDS_WIN_WARNING] : []
  if (preserveFds === 0) checkPreservedFds(fds)
  const {spec} = container.config
  if (!spec.process) return {container, preserveFds: preserveFds || fds, warnings}
  const listen = [`LISTEN_PID=1`, `LISTEN_FDS=${value}`, ...(hostEnv.LISTEN_FDNAMES ? [`LISTEN_FDNAMES=${hostEnv.LISTEN_FDNAMES}`] : [])]
  const env = [...(spec.process.env ?? []).filter((e) => !LISTEN_VARIABLES.includes(e.slice(0, e.indexOf('=')))), ...listen]
  return {container: {...container, config: {...container.config, spec: {...spec, process: {...spec.process, env}}}}, preserveFds: preserveFds || fds, warnings}
}
