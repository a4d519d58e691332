// The healthcheck timer's step: a detached container's monitor (tspod-monitor) runs it every
// --health-interval while the container runs, as Podman's systemd timer runs `podman
// healthcheck run`. Its result goes to the container's health log and events; nobody reads its
// output or exit status.
import {ContainerLifecycle} from '../../engine/lifecycle'
import {EventRecorder} from '../../events/recorder'
import {loadRegistriesConf} from '../../storage/image/config/registries-conf'
import {Store} from '../../storage/store/store'
import type {MonitorRequest} from './detach'
import {ContainerRecords} from './records'

async function check(request: MonitorRequest): Promise<void> {
  const store = await Store.open(request.storage)
  try {
    const events = new EventRecorder(request.events ?? {backend: 'none', path: '', maxSize: 0})
    await new ContainerLifecycle(store, ContainerRecords.open(store), loadRegistriesConf(), events).healthcheckRun(request.id)
  } finally {
    store.close()
  }
}

check(JSON.parse(process.argv[2]) as MonitorRequest).then(
  () => process.exit(0),
  () => process.exit(1),
)
