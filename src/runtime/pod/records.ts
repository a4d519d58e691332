// Pods in the store's DB, and their state as Podman derives it from their containers'.
import {ErrorClass, TspodError} from '../../errors'
import type {Store} from '../../storage/store/store'
import type {Container} from '../container/config'
import type {ContainerRecords} from '../container/records'

export class NoSuchPodError extends TspodError {
  override readonly errorClass: ErrorClass = 'NoSuchObject'
}

export interface PodConfig {
  id: string
  name: string
  created: string
  labels: Record<string, string>
  /** the namespaces its containers share with the infra container: net, ipc, uts (and pid) */
  share: string[]
  /** the infra container's id; absent with --infra=false */
  infraId?: string
  hostname?: string
  /** --infra-image, --infra-command, --infra-name as given */
  infraImage?: string
  infraCommand?: string[]
  infraName?: string
  /** --network as given (the infra container's) */
  network?: string
  /** -p: published on the infra container */
  publish: string[]
  userns?: string
  /** --exit-policy; absent (pods made before it was kept): continue */
  exitPolicy?: 'continue' | 'stop'
  /** kube play --service-container: the id of the service container this pod's life is tied to */
  serviceContainerId?: string
  /** the command line that created it (Podman's CreateCommand): what `generate systemd --new` runs again */
  createCommand?: string[]
}

export type PodStatus = 'Created' | 'Running' | 'Degraded' | 'Paused' | 'Exited' | 'Stopped'

/**
 * Podman's pod state from its containers' (libpod createPodStatusResults): none: Created; all
 * running: Running; some: Degraded; all paused: Paused; all exited: Exited; some exited (the
 * rest created or paused): Stopped; else Created.
 */
export function podStatus(containers: Container[]): PodStatus {
  const count = (...states: string[]) => containers.filter((c) => states.includes(c.state.status)).length
  const running = count('running', 'stopping')
  const exited = count('exited')
  if (containers.length === 0) return 'Created'
  if (running === containers.length) return 'Running'
  if (running > 0) return 'Degraded'
  if (count('paused') === containers.length) return 'Paused'
  if (exited === containers.length) return 'Exited'
  if (exited > 0) return 'Stopped'
  return 'Created'
}

export class PodRecords {
  constructor(readonly store: Store) {}

  private get db() {
    return this.store.database
  }

  add(pod: PodConfig): void {
    try {
      this.db.prepare('INSERT INTO pods (id, name, created, json) VALUES (?, ?, ?, ?)').run(pod.id, pod.name, pod.created, JSON.stringify(pod))
    } catch (err) {
      if ((err as {code?: string}).code === 'SQLITE_CONSTRAINT_UNIQUE' || (err as {code?: string}).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new TspodError(`adding pod to state: name "${pod.name}" is in use: pod already exists`)
      throw err
    }
  }

  replace(pod: PodConfig): void {
    this.db.prepare('UPDATE pods SET json = ? WHERE id = ?').run(JSON.stringify(pod), pod.id)
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM pods WHERE id = ?').run(id)
  }

  list(): PodConfig[] {
    return (this.db.prepare('SELECT json FROM pods ORDER BY created').all() as {json: string}[]).map((r) => JSON.parse(r.json) as PodConfig)
  }

  get(id: string): PodConfig | undefined {
    const row = this.db.prepare('SELECT json FROM pods WHERE id = ?').get(id) as {json: string} | undefined
    return row && (JSON.parse(row.json) as PodConfig)
  }

  /** By exact name, full id, or unique id prefix, with Podman's errors. */
  lookup(nameOrId: string): PodConfig {
    const byName = this.db.prepare('SELECT id FROM pods WHERE name = ?').get(nameOrId) as {id: string} | undefined
    let id = byName?.id
    if (!id && /^[0-9a-f]+$/.test(nameOrId)) {
      const matches = this.db.prepare('SELECT id FROM pods WHERE substr(id, 1, length(?)) = ?').all(nameOrId, nameOrId) as {id: string}[]
      if (matches.length > 1) throw new TspodError(`more than one result for pod "${nameOrId}": pod already exists`)
      id = matches[0]?.id
    }
    const pod = id ? this.get(id) : undefined
    if (!pod) throw new NoSuchPodError(`no pod with name or ID ${nameOrId} found: no such pod`)
    return pod
  }

  /** A pod's ID by its name or ID; undefined when there is no such pod (other errors thrown). */
  idOf(nameOrId: string): string | undefined {
    try {
      return this.lookup(nameOrId).id
    } catch (err) {
      if (err instanceof NoSuchPodError) return undefined
      throw err
    }
  }

  /** Podman's --latest: the pod created last. */
  latest(): PodConfig {
    const row = this.db.prepare('SELECT id FROM pods ORDER BY created DESC LIMIT 1').get() as {id: string} | undefined
    const pod = row ? this.get(row.id) : undefined
    if (!pod) throw new NoSuchPodError('no such pod')
    return pod
  }

  /** The pod's containers, the infra container first. */
  containers(records: ContainerRecords, pod: PodConfig): Container[] {
    const all = records.list().filter((c) => c.config.containerSpec.pod === pod.id)
    return [...all.filter((c) => c.config.id === pod.infraId), ...all.filter((c) => c.config.id !== pod.infraId)]
  }
}
