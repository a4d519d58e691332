// A pod's service container (`kube play --service-container`, Podman 4.2+): a container from the
// pause image, outside every pod, whose life follows the pods of one YAML file. It starts when
// one of them starts, stops once none of them runs, cannot be removed while one of them exists,
// and goes with the last of them (libpod's maybeStartServiceContainer and siblings). systemd's
// kube units watch it as the unit's main process.
import * as crypto from 'node:crypto'

import {TspodError} from '../../errors'
import type {Container} from '../container/config'
import type {ContainerRecords} from '../container/records'
import {isRunning} from '../container/report'
import {stopContainer} from '../container/stop'
import {PodConfig, PodRecords, podStatus} from './records'

/** Podman's name for a YAML file's service container: the first 12 hex digits of the file's sha256, then "-service". */
export function serviceContainerName(yaml: string | Buffer): string {
  return `${crypto.createHash('sha256').update(yaml).digest('hex').slice(0, 12)}-service`
}

/** The pods whose service container `id` is. */
export function podsOfService(pods: PodRecords, id: string): PodConfig[] {
  return pods.list().filter((p) => p.serviceContainerId === id)
}

/** rm of a service container while one of its pods exists is refused, in Podman's words. */
export function checkNotServiceOfPods(records: ContainerRecords, container: Container): void {
  if (!container.config.containerSpec.isService) return
  const pods = podsOfService(new PodRecords(records.store), container.config.id)
  if (pods.length > 0)
    throw new TspodError(`container ${container.config.id} is the service container of pod(s) ${pods.map((p) => p.id).join(',')} and cannot be removed without removing the pod(s)`)
}

/** Stops the service container once none of its pods has a running container. */
export async function stopServiceIfDone(records: ContainerRecords, serviceId: string | undefined): Promise<void> {
  if (serviceId === undefined) return
  const service = records.get(serviceId)
  if (!service || !isRunning(service.state)) return
  const pods = new PodRecords(records.store)
  const busy = podsOfService(pods, serviceId).some((p) => ['Running', 'Degraded', 'Paused'].includes(podStatus(pods.containers(records, p))))
  if (!busy) await stopContainer(records, service)
}
