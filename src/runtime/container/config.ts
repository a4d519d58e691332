// What a container is made of, fixed when it is created (Podman's ContainerConfig), and what it
// is doing now (its ContainerState). Both are stored as JSON by records.ts.
import type {PortMapping} from '../network/publish'
import type {OciSpec} from '../oci-spec'
import type {ContainerSpec} from '../../specgen/container-spec'
import type {HealthConfig, HealthOnFailure} from '../../specgen/healthcheck'
import type {LogConfig} from './log-config'

export interface ContainerConfig {
  id: string
  name: string
  imageId: string
  /** the image's labels with --label on top */
  labels: Record<string, string>
  /** the image as the user named it */
  imageName: string
  /** ISO time */
  created: string
  /** the OCI spec, generated at create time; root.path is the merged dir */
  spec: OciSpec
  /** the container as it was asked for, parsed (specgen): what start and inspect read of it */
  containerSpec: ContainerSpec
  /** --rm */
  autoRemove: boolean
  /** --runtime: an external OCI runtime (name or path); absent: tspod's native runtime */
  runtime?: string
  /** --group-add keep-groups in effect */
  keepGroups: boolean
  /** the signal `stop` sends first (the image's StopSignal or SIGTERM), as a number */
  stopSignal: number
  /** --timeout: seconds after its start the container is SIGKILLed (its exit code then -1) */
  timeout?: number
  /** --conmon-pidfile (absolute): the monitor's pid is written there at each start */
  monitorPidFile?: string
  /** seconds `stop` waits before SIGKILL */
  stopTimeout: number
  /** -p/--publish, parsed; a host port 0 is picked at each start */
  ports: PortMapping[]
  /** the network mode: none, host, slirp4netns */
  network: string
  /** named and anonymous volumes (-v NAME:/dst, -v /dst), bind-mounted from their _data dirs */
  volumes: {name: string; destination: string; options: string[]}[]
  /** --log-driver, --log-opt (absent in records made before them: k8s-file, no limit of its own) */
  log?: LogConfig
  /** the healthcheck: --health-cmd's, else the image's (Test NONE: disabled); absent: none */
  healthcheck?: HealthConfig
  /** --health-on-failure, when not none */
  healthOnFailure?: HealthOnFailure
}

/** Podman's states, in the words its `State.Status` uses. */
export type ContainerStatus = 'created' | 'initialized' | 'running' | 'stopping' | 'paused' | 'exited'

/**
 * Its processes exist: running, being stopped, paused (stopped by signal, see pause.ts), or
 * initialized (`init`: its process made and held before its program, see launch.ts).
 */
export function hasProcesses(state: ContainerState): boolean {
  return state.status === 'running' || state.status === 'stopping' || state.status === 'paused' || state.status === 'initialized'
}

export interface ContainerState {
  status: ContainerStatus
  /** the container's init process on the host, 0 when not running */
  pid: number
  /** its start time (/proc/<pid>/stat), so a recycled pid is never taken for it */
  pidStart?: string
  /** the process waiting for the container (the foreground CLI or a detached monitor) */
  monitorPid?: number
  monitorStart?: string
  startedAt?: string
  finishedAt?: string
  exitCode: number
  /** why the last start failed */
  error?: string
  /** the container was stopped by `stop`/`kill` (Podman reports it so in inspect) */
  stoppedByUser?: boolean
  /** the times its restart policy started it again since the user last started it */
  restartCount?: number
  /** published ports as slirp4netns forwards them while it runs (host ports resolved) */
  ports?: PortMapping[]
  /** on named networks, while it runs: netavark's status by network */
  networks?: Record<string, import('../network/netavark/netavark').NetworkStatus>
}

export const CREATED_STATE: ContainerState = {status: 'created', pid: 0, exitCode: 0}

export interface Container {
  config: ContainerConfig
  state: ContainerState
}

/** True for a record of the old form (upgrade-config.ts turns it into this one). */
export function isLegacyConfig(config: object): boolean {
  return 'options' in config && !('containerSpec' in config)
}
