// A pod's --exit-policy=stop, as libpod's stopPodIfNeeded: once the last of its containers other
// than the infra container has exited, the infra container is stopped too, and the pod is Exited
// (and its service container, if no other pod of it runs).
import type {Container} from '../container/config'
import type {ContainerRecords} from '../container/records'
import {hasProcesses} from '../container/config'
import {isRunning} from '../container/report'
import {stopContainer} from '../container/stop'
import {PodRecords} from './records'
import {stopServiceIfDone} from './service-container'

export async function stopPodIfDone(records: ContainerRecords, ended: Container): Promise<void> {
  const podId = ended.config.containerSpec.pod
  if (podId === undefined) return
  const pods = new PodRecords(records.store)
  const pod = pods.get(podId)
  if (!pod || pod.exitPolicy !== 'stop' || pod.infraId === undefined || pod.infraId === ended.config.id) return
  const members = pods.containers(records, pod)
  if (members.some((c) => c.config.id !== pod.infraId && hasProcesses(c.state))) return
  const infra = members.find((c) => c.config.id === pod.infraId)
  if (infra && isRunning(infra.state)) await stopContainer(records, infra)
  await stopServiceIfDone(records, pod.serviceContainerId)
}
