// The cleanup step of a detached container's monitor. tspod-monitor execs it once the container
// has exited and the exit file is written, with the exit code as the last argument; being the
// same process, the record still names a live monitor until this step has recorded the exit
// (as the foreground run's recordExit does) and removed a --rm container, or started the
// container again under a new monitor when its restart policy says so (libpod's
// handleRestartPolicy, which Podman's cleanup process runs).
import {EventRecorder} from '../../events/recorder'
import {Store} from '../../storage/store/store'
import {NO_RESTART, restartsAfterExit} from '../../specgen/restart'
import {MonitorRequest, startDetachedOnce} from './detach'
import {hasProcesses} from './config'
import {exitFilePath, readExitFile} from './exit-file'
import {withContainerLock} from './lock'
import {ContainerRecords} from './records'
import {removeStoppedContainer} from './remove'
import {releaseContainerNetworks} from '../network/netavark/netavark'
import {stopPodIfDone} from '../pod/exit-policy'

async function cleanup(request: MonitorRequest, exitCode: number): Promise<void> {
  const store = await Store.open(request.storage)
  const events = request.events && new EventRecorder(request.events)
  try {
    const records = ContainerRecords.open(store)
    const ended = records.get(request.id)
    if (ended) await releaseContainerNetworks(store, ended).catch(() => undefined)
    // under the container's lock: an rm -f or a new start of it waits, or has happened
    const restartCount = await withContainerLock(store, request.id, async (held): Promise<number | undefined> => {
      const container = records.get(request.id)
      if (!container) {
        held.releaseAndRemove() // removed meanwhile (rm -f)
        return undefined
      }
      const {state} = container
      const ours = state.monitorPid === process.pid
      if (ours && hasProcesses(state)) {
        const finishedAt = readExitFile(exitFilePath(store, request.id))?.finishedAt ?? new Date().toISOString()
        records.saveState(request.id, {...state, status: 'exited', pid: 0, exitCode, finishedAt})
      }
      if (ours) await events?.container(container.config, 'died', exitCode)
      // the exit of the run this monitor watched (recorded here, or already from its exit file);
      // as libpod, only an exit the user did not ask for (stop, kill) restarts it
      const restart = ours && !state.stoppedByUser && restartsAfterExit(container.config.containerSpec.restart ?? NO_RESTART, exitCode, state.restartCount ?? 0)
      if (restart) return (state.restartCount ?? 0) + 1
      const after = records.get(request.id)
      if (after?.config.autoRemove && !hasProcesses(after.state)) {
        await removeStoppedContainer(store, records, after)
        await events?.container(after.config, 'remove')
        held.releaseAndRemove()
      }
      return undefined
    })
    // under a new monitor; this one ends
    if (restartCount !== undefined) await startDetachedOnce(store, records, request.id, {restartCount, events: request.events})
    else if (ended) await stopPodIfDone(records, ended)
  } finally {
    store.close()
  }
}

const args = process.argv.slice(2)
cleanup(JSON.parse(args[0]) as MonitorRequest, Number(args[args.length - 1])).then(
  () => process.exit(0),
  () => process.exit(1), // nobody to tell: the record settles from the exit file
)
