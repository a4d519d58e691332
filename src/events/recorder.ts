// What the Engine (and a detached container's monitor) calls to record an event, with the fields
// Podman fills for each kind (libpod/events.go, libimage's events).
import type {ContainerConfig} from '../runtime/container/config'
import type {EventsConfig} from './config'
import {PodmanEvent, newEvent} from './event'

export class EventRecorder {
  /** the write failures (Podman logs each and goes on: an event lost never fails a verb) */
  readonly failures: Error[] = []

  constructor(readonly config: EventsConfig) {}

  async write(e: PodmanEvent): Promise<void> {
    if (this.config.backend === 'none') return
    try {
      const {writeEvent} = await import('./log-file')
      await writeEvent(this.config, e)
    } catch (err) {
      this.failures.push(err as Error)
    }
  }

  /** A container event; `died` carries the exit code. */
  async container(config: Pick<ContainerConfig, 'id' | 'name' | 'imageName' | 'labels'>, status: string, exitCode?: number): Promise<void> {
    const e = newEvent('container', status, {ID: config.id, Image: config.imageName, Name: config.name, Attributes: {...config.labels}})
    if (exitCode !== undefined) e.ContainerExitCode = exitCode
    await this.write(e)
  }

  /** A health_status event: a check of the container starts; `healthStatus` is its health until then. */
  async health(config: Pick<ContainerConfig, 'id' | 'name' | 'imageName' | 'labels'>, healthStatus: string): Promise<void> {
    const e = newEvent('container', 'health_status', {ID: config.id, Image: config.imageName, Name: config.name, Attributes: {...config.labels}})
    if (healthStatus) e.health_status = healthStatus
    await this.write(e)
  }

  /** An image event: the image's ID (none for pull and load) and the name the verb acted on. */
  async image(status: string, id: string, name: string): Promise<void> {
    await this.write(newEvent('image', status, {ID: id, Name: name}))
  }

  /** A pod event: the pod's ID and name. */
  async pod(status: string, id: string, name: string): Promise<void> {
    await this.write(newEvent('pod', status, {ID: id, Name: name}))
  }

  async volume(status: string, name: string): Promise<void> {
    await this.write(newEvent('volume', status, {Name: name}))
  }
}
