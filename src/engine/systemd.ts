// `generate systemd` over the store: the container or pod named, read into the unit
// generators' input (src/systemd/), as Podman's GenerateSystemd looks a container up first,
// then a pod.
import {UsageError} from '../errors'
import {VERSION} from '../package-info'
import type {Container} from '../runtime/container/config'
import {dependencies} from '../runtime/container/dependencies'
import {monitorPidFileOf} from '../runtime/container/paths'
import {ContainerRecords, NoSuchContainerError} from '../runtime/container/records'
import {NoSuchPodError, PodRecords} from '../runtime/pod/records'
import {parseEnvEntries} from '../specgen/env'
import type {Store} from '../storage/store/store'
import {containerUnit} from '../systemd/container-unit'
import type {SystemdOptions, UnitContainer, UnitEnvironment} from '../systemd/options'
import {podUnits} from '../systemd/pod-units'

/** Where the units run and when they are written; the run root is the store's, the generator tspod. */
export type SystemdEnvironment = Omit<UnitEnvironment, 'runRoot' | 'generator'>

/**
 * --env as the unit's Environment= lines take them: KEY=VALUE, KEY alone from this process's
 * environment (skipped when unset), PREFIX* for each variable of this process that starts so,
 * a variable with an empty value as its name alone (Podman's env.Slice).
 */
export function unitEnvironment(entries: string[], hostEnv: NodeJS.ProcessEnv): string[] {
  for (const entry of entries) {
    if (entry.split('=')[0] === '') throw new UsageError(`parsing environment variables: invalid environment variable: ${JSON.stringify(entry)}`)
  }
  return [...parseEnvEntries(entries, hostEnv)].map(([key, value]) => (value === '' ? key : `${key}=${value}`))
}

/** The units by name (without .service), in the order they are printed. */
export function systemdUnits(store: Store, records: ContainerRecords, nameOrId: string, options: SystemdOptions, environment: SystemdEnvironment): Map<string, string> {
  const env: UnitEnvironment = {...environment, runRoot: store.config.runRoot, generator: `tspod ${VERSION}`}
  options = {...options, env: unitEnvironment(options.env, process.env)}
  let containerError: NoSuchContainerError
  try {
    const container = records.lookup(nameOrId)
    const unit = containerUnit({container: unitContainer(store, container)}, options, env)
    return new Map([[unit.name, unit.text]])
  } catch (err) {
    if (!(err instanceof NoSuchContainerError)) throw err
    containerError = err
  }
  const pods = new PodRecords(store)
  let pod
  try {
    pod = pods.lookup(nameOrId)
  } catch (err) {
    if (!(err instanceof NoSuchPodError)) throw err
    throw new NoSuchPodError(`${nameOrId} does not refer to a container or pod: ${err.message}: ${containerError.message}`)
  }
  const members = pods.containers(records, pod)
  const infra = members.find((c) => c.config.id === pod.infraId)
  const others = members.filter((c) => c !== infra).map((c) => {
    const unit = unitContainer(store, c)
    return {...unit, dependencies: [...new Set([...(infra ? [infra.config.id] : []), ...unit.dependencies])]}
  })
  return podUnits({id: pod.id, name: pod.name, createCommand: pod.createCommand, infra: infra && unitContainer(store, infra), containers: others}, options, env)
}

function unitContainer(store: Store, container: Container): UnitContainer {
  const {config} = container
  return {
    id: config.id,
    name: config.name,
    createCommand: config.containerSpec.createCommand,
    stopTimeout: config.stopTimeout,
    pidFile: monitorPidFileOf(store, config),
    restartPolicy: config.containerSpec.restart?.policy ?? '',
    env: config.spec.process.env ?? [],
    dependencies: dependencies(container),
  }
}
