// What `generate systemd` is asked for (Podman's entities.GenerateSystemdOptions) and what it
// reads of a container or pod: the typed input of the unit generators.

export interface SystemdOptions {
  /** --name: units and commands name the container/pod, not its id */
  name: boolean
  /** --new: the unit creates the container (pod) at each start and removes it after */
  new: boolean
  noHeader: boolean
  /** --template: NAME@.service, the container named after the instance */
  template: boolean
  /** --restart-policy, when given */
  restartPolicy?: string
  /** --restart-sec, when given (pods' units) */
  restartSec?: number
  /** --start-timeout, when given */
  startTimeout?: number
  /** --stop-timeout/-t, when given: over each container's own */
  stopTimeout?: number
  containerPrefix: string
  podPrefix: string
  separator: string
  wants: string[]
  after: string[]
  requires: string[]
  /** --env as KEY=VALUE (or KEY alone, for an empty value) */
  env: string[]
}

export interface UnitContainer {
  id: string
  name: string
  /** the command line that created it (Podman's CreateCommand); absent: not made by the CLI */
  createCommand?: string[]
  /** seconds `stop` waits before SIGKILL */
  stopTimeout: number
  /** where its monitor's pid is written at each start: the forking unit's PIDFile */
  pidFile: string
  /** its --restart policy ('' for none) */
  restartPolicy: string
  /** its environment, KEY=VALUE: a bare `-e KEY` of the create command takes its value from here */
  env: string[]
  /** the ids of the containers it needs running (the infra container for one in a pod) */
  dependencies: string[]
}

export interface UnitPod {
  id: string
  name: string
  createCommand?: string[]
  /** absent: made with --infra=false, which a unit cannot follow */
  infra?: UnitContainer
  /** its other containers */
  containers: UnitContainer[]
}

export interface UnitEnvironment {
  /** the engine's executable the units run: the tspod CLI the user ran */
  executable: string
  /** the store's run root: the mounts the unit needs */
  runRoot: string
  /** the generator's name and version for the header */
  generator: string
  now: Date
  onWarning: (warning: string) => void
}
