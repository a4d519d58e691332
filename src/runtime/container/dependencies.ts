// Containers that share another's namespaces (--network/--ipc/--uts/--pid container:X): the
// references resolved to ids at create, what `rm` refuses while dependents exist, and the
// namespace files a start joins (Podman's dependency containers).
import * as fs from 'node:fs'

import {TspodError, UsageError} from '../../errors'
import type {ContainerSpec} from '../../specgen/container-spec'
import type {NamespaceMode} from '../../specgen/namespaces'
import {Container, hasProcesses} from './config'
import {ContainerRecords, isAlive} from './records'

export type SharedNamespace = 'net' | 'ipc' | 'uts' | 'pid'

const FLAG_NAME: Record<SharedNamespace, string> = {net: 'net', ipc: 'ipc', uts: 'uts', pid: 'pid'}

/** The container each namespace of the spec is taken from, by id (or as given, before create resolves it). */
export function sharedNamespaces(spec: ContainerSpec): Partial<Record<SharedNamespace, string>> {
  const shared: Partial<Record<SharedNamespace, string>> = {}
  if (spec.network.kind === 'container') shared.net = spec.network.container
  const from = (mode: NamespaceMode | undefined): string | undefined => (mode?.kind === 'container' ? mode.container : undefined)
  if (from(spec.ipc)) shared.ipc = from(spec.ipc)
  if (from(spec.uts)) shared.uts = from(spec.uts)
  if (from(spec.pid)) shared.pid = from(spec.pid)
  return shared
}

/** The ids of the containers this one depends on, each once. */
export function dependencies(container: Container): string[] {
  return [...new Set(Object.values(sharedNamespaces(container.config.containerSpec)))]
}

/** The spec with every container:X resolved to X's full id; refuses an unknown X and a private IPC donor, in Podman's words. */
export function resolveSharedNamespaces(records: ContainerRecords, spec: ContainerSpec): ContainerSpec {
  const shared = sharedNamespaces(spec)
  const ids: Partial<Record<SharedNamespace, string>> = {}
  for (const [ns, ref] of Object.entries(shared) as [SharedNamespace, string][]) {
    let donor: Container
    try {
      donor = records.lookup(ref)
    } catch (err) {
      throw new UsageError(`looking up container to share ${FLAG_NAME[ns]} namespace with: ${(err as Error).message}`)
    }
    const donorIpc = donor.config.containerSpec.ipc?.kind
    if (ns === 'ipc' && (donorIpc === 'private' || donorIpc === 'none'))
      throw new UsageError(`joining IPC of container ${donor.config.id} is not allowed: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`)
    ids[ns] = donor.config.id
  }
  const mode = (m: NamespaceMode | undefined, id: string | undefined): NamespaceMode | undefined => (id ? {kind: 'container', container: id} : m)
  return {
    ...spec,
    network: ids.net ? {kind: 'container', container: ids.net} : spec.network,
    ipc: mode(spec.ipc, ids.ipc),
    uts: mode(spec.uts, ids.uts),
    pid: mode(spec.pid, ids.pid),
  }
}

/** The containers that depend on `id`, directly. */
export function dependents(records: ContainerRecords, id: string, all: Container[] = records.list()): Container[] {
  return all.filter((c) => c.config.id !== id && dependencies(c).includes(id))
}

/** `rm` without --depend: refused while other containers depend on it (Podman's ErrCtrExists). */
export function checkNoDependents(records: ContainerRecords, container: Container): void {
  const found = dependents(records, container.config.id)
  if (found.length > 0)
    throw new TspodError(
      `container ${container.config.id} has dependent containers which must be removed before it: ${found.map((c) => c.config.id).join(', ')}: container already exists`,
    )
}

/** `rm --depend`: the container and everything that depends on it, dependents first. */
export function removalOrder(records: ContainerRecords, container: Container): Container[] {
  const all = records.list()
  const order: Container[] = []
  const visit = (c: Container): void => {
    if (order.some((o) => o.config.id === c.config.id)) return
    for (const d of dependents(records, c.config.id, all)) visit(d)
    order.push(c)
  }
  visit(container)
  return order
}

/** The donors' namespace files for a start, each donor running (Podman's error otherwise). */
export function joinedNamespacePaths(records: ContainerRecords, container: Container): {namespace: SharedNamespace | 'user'; path: string}[] {
  const shared = sharedNamespaces(container.config.containerSpec)
  const paths: {namespace: SharedNamespace | 'user'; path: string}[] = []
  for (const [ns, id] of Object.entries(shared) as [SharedNamespace, string][]) {
    const donor = records.get(id)
    if (!donor) throw new TspodError(`the container ${id} whose ${ns} namespace ${container.config.id} shares is gone: no such container`)
    if (!hasProcesses(donor.state) || !isAlive(donor.state.pid, donor.state.pidStart))
      throw new TspodError(`cannot get namespace path unless container ${id} is running: container is stopped`)
    // the donor's user namespace first: it grants the capabilities to join the others (real root's
    // containers may have none of their own, and setns into one's own user namespace is EINVAL)
    const donorUserns = `/proc/${donor.state.pid}/ns/user`
    if (paths.length === 0 && !sameNamespace(donorUserns, '/proc/self/ns/user')) paths.push({namespace: 'user', path: donorUserns})
    paths.push({namespace: ns, path: `/proc/${donor.state.pid}/ns/${ns}`})
  }
  return paths
}

function sameNamespace(a: string, b: string): boolean {
  const [x, y] = [fs.statSync(a), fs.statSync(b)]
  return x.dev === y.dev && x.ino === y.ino
}
