// `kube generate`, `kube play` and `kube down` (src/kube/) over the store: the containers, pods
// and volumes they read, and the pod, container and volume verbs they create through.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, UsageError} from '../errors'
import {VERSION} from '../package-info'
import type {ContainerRecords} from '../runtime/container/records'
import {NoSuchContainerError} from '../runtime/container/records'
import {NoSuchPodError} from '../runtime/pod/records'
import {podsOfService, serviceContainerName} from '../runtime/pod/service-container'
import {removeContainer} from '../runtime/container/remove'
import {NoSuchVolumeError, VolumeStore} from '../runtime/volume'
import type {ContainerSource, PodSource} from '../kube/generate'
import type {PlayOptions, PlayPlan} from '../kube/play'
import {parseImageConfig} from '../storage/image/manifest/image-config'
import type {ImageContext} from '../storage/image/transports/types'
import type {RegistriesConfig} from '../storage/image/config/registries-conf'
import {resolveLocalImage} from '../storage/store/images/lookup'
import type {Store} from '../storage/store/store'
import {type CreateEvents, type CreateInput, pullReporting} from './create'
import type {PodEngine} from './pods'
import type {TargetEvents} from './events'

// what Podman's kube play marks a pod's containers with (pkg/annotations)
const SANDBOX_ID_ANNOTATION = 'io.kubernetes.cri-o.SandboxID'
const CONTAINER_TYPE_ANNOTATION = 'io.kubernetes.cri-o.ContainerType'

export interface KubePlayReport {
  volumes: string[]
  pods: {id: string; containers: string[]; errors: string[]}[]
}

export interface KubeDownReport {
  stopped: string[]
  removed: string[]
  errors: unknown[]
}

export interface KubeHooks {
  pods: () => Promise<PodEngine>
  create: (input: CreateInput, events: CreateEvents) => Promise<string>
  /** `build` of `file` in `context`, tagged `tag` */
  build: (input: {context: string; file: string; tag: string; pullContext: () => ImageContext}, events: KubeEvents) => Promise<string>
}

export type KubeEvents = CreateEvents & {onLine?: (line: string) => void}

/** --build and --context-dir: build (true), never build (false), or build what is not in the store (absent) */
export interface KubeBuildOptions {
  build?: boolean
  /** where IMAGE/Containerfile is looked for; default the working directory */
  contextDir?: string
}

/** The Containerfile (else Dockerfile) for an image in the context: DIR/NAME/Containerfile, NAME its last path part without tag or digest, as Podman's. */
export function kubeBuildFile(image: string, dir: string): string | undefined {
  const name = image.split(':')[0].split('/').at(-1)!.split('@')[0]
  return ['Containerfile', 'Dockerfile'].map((f) => path.join(dir, name, f)).find((f) => fs.existsSync(f))
}

export class KubeEngine {
  constructor(
    private readonly store: Store,
    private readonly records: ContainerRecords,
    private readonly registries: RegistriesConfig,
    private readonly hooks: KubeHooks,
  ) {}

  private source(id: string): ContainerSource {
    const record = this.records.lookup(id)
    const image = this.store.images.get(record.config.imageId)
    return {record, image: image ? parseImageConfig(image.config).config : {}}
  }

  /** `kube generate`: YAML for the named containers, pods and volumes; warnings told as they come. */
  async generate(names: string[], options: {service: boolean; type: string}, onWarning: (w: string) => void): Promise<string> {
    if (options.type !== 'pod' && options.type !== 'deployment') throw new UsageError(`invalid generation type - only pods and deployments are currently supported: ${options.type}`)
    const {KubeGenerator} = await import('../kube/generate')
    const pods = await this.hooks.pods()
    const volumes = VolumeStore.open(this.store)
    const input = {containers: [] as ContainerSource[], pods: [] as PodSource[], volumes: [] as ReturnType<VolumeStore['lookup']>[]}
    for (const name of names) {
      try {
        const c = this.records.lookup(name)
        if (c.config.containerSpec.pod) throw new TspodError(`container ${c.config.id} is associated with pod ${c.config.containerSpec.pod}: use generate on the pod itself`)
        input.containers.push(this.source(c.config.id))
        continue
      } catch (err) {
        if (!(err instanceof NoSuchContainerError)) throw err
      }
      try {
        const pod = pods.lookup(name)
        input.pods.push({pod, containers: pods.pods.containers(this.records, pod).map((c) => this.source(c.config.id))})
        continue
      } catch (err) {
        if (!(err instanceof NoSuchPodError)) throw err
      }
      try {
        input.volumes.push(volumes.lookup(name))
        continue
      } catch (err) {
        if (!(err instanceof NoSuchVolumeError)) throw err
      }
      throw new TspodError(`name or ID ${JSON.stringify(name)} not found`)
    }
    const generator = new KubeGenerator({...input, service: options.service, type: options.type, version: `tspod-${VERSION}`})
    const text = generator.render()
    for (const w of generator.warnings) onWarning(w)
    return text
  }

  /** `kube play`: everything in the YAML checked first, then volumes, pods and their containers, started unless `start` is false. */
  async play(
    text: string,
    options: Omit<PlayOptions, 'selinuxEnabled' | 'annotations'> & KubeBuildOptions & {replace: boolean; annotations: string[]; serviceContainer?: boolean},
    pull: {pullContext: () => ImageContext; events: KubeEvents},
  ): Promise<KubePlayReport> {
    if (options.contextDir !== undefined && options.build !== true) throw new UsageError('--build must be specified when using --context-dir option')
    const {planPlay, podNames, parseAnnotationFlags} = await import('../kube/play')
    const plan = planPlay(text, {...options, annotations: parseAnnotationFlags(options.annotations), selinuxEnabled: fs.existsSync('/sys/fs/selinux/enforce')})
    for (const w of plan.warnings) pull.events.onWarning?.(w)
    if (options.replace) await this.down(podNames(text), {ignoreMissing: true})
    const pods = await this.hooks.pods()
    const volumes = VolumeStore.open(this.store)
    const report: KubePlayReport = {volumes: [], pods: []}
    for (const v of plan.volumes) {
      await volumes.create({name: v.name, labels: v.labels, options: v.options, uid: v.uid, gid: v.gid})
      report.volumes.push(v.name)
    }
    const serviceContainerId = options.serviceContainer && plan.pods.length > 0 ? await this.serviceContainer(text, options.replace, pods) : undefined
    try {
      await this.playPods(plan, options, pull, {pods, volumes, report, serviceContainerId})
    } catch (err) {
      if (serviceContainerId && podsOfService(pods.pods, serviceContainerId).length === 0) await this.removeContainer(serviceContainerId)
      throw err
    }
    return report
  }

  /** The YAML's service container, made anew (an old one of its name goes with --replace). */
  private async serviceContainer(text: string, replace: boolean, pods: PodEngine): Promise<string> {
    const name = serviceContainerName(text)
    if (replace) {
      const old = this.records.list().find((c) => c.config.name === name)
      if (old) await this.removeContainer(old.config.id)
    }
    return await pods.createServiceContainer(name)
  }

  private async removeContainer(id: string): Promise<void> {
    const c = this.records.get(id)
    if (c) await removeContainer(this.store, this.records, c, {force: true}).catch(() => undefined)
  }

  private async playPods(
    plan: PlayPlan,
    options: KubeBuildOptions & {start: boolean; userns?: string},
    pull: {pullContext: () => ImageContext; events: KubeEvents},
    into: {pods: PodEngine; volumes: VolumeStore; report: KubePlayReport; serviceContainerId?: string},
  ): Promise<void> {
    const {pods, report} = into
    for (const planned of plan.pods) {
      for (const h of planned.hostPaths) {
        if (h.kind === 'directory') fs.mkdirSync(h.path, {recursive: true, mode: 0o755})
        else if (!fs.existsSync(h.path)) fs.closeSync(fs.openSync(h.path, 'a', 0o644))
      }
      for (const cm of planned.configMapVolumes) {
        const volume = await into.volumes.create({name: cm.name, ignoreIfExists: true})
        const dir = into.volumes.mountpoint(volume.name)
        for (const [file, data] of Object.entries(cm.files)) fs.writeFileSync(path.join(dir, file), data, {mode: 0o644})
      }
      const share = planned.sharePid ? 'ipc,net,uts,pid' : undefined
      const pod = await pods.create({name: planned.name, labels: Object.entries(planned.labels).map(([k, v]) => `${k}=${v}`), infra: true, network: planned.network, hostname: planned.hostname, publish: planned.publish, share, userns: options.userns, exitPolicy: 'stop', serviceContainerId: into.serviceContainerId})
      const containers: string[] = []
      try {
        for (const c of planned.containers) {
          const {parseContainerSpec} = await import('../specgen/parse')
          // the image's user unless the YAML names one, as Podman's kube specgen sets it
          await this.buildImage(c.image, options, pull)
          const user = c.options.user ?? (await this.imageUser(c.image, c.pullPolicy, pull))
          const annotations = {...planned.annotations, ...(pod.infraId ? {[SANDBOX_ID_ANNOTATION]: pod.infraId, [CONTAINER_TYPE_ANNOTATION]: 'container'} : {})}
          const spec = {...parseContainerSpec({...c.options, user, userns: c.options.userns ?? options.userns}, {warn: (w) => pull.events.onWarning?.(w)}), pod: pod.id, annotations}
          containers.push(await this.hooks.create({image: c.image, spec, pullPolicy: 'missing', pullContext: pull.pullContext}, pull.events))
        }
      } catch (err) {
        await pods.removePod(pod, {force: true}).catch(() => undefined)
        throw err
      }
      const errors: string[] = []
      if (options.start) {
        await pods.start({names: [pod.id]}, {onError: (err) => errors.push(`starting container: ${err instanceof Error ? err.message : String(err)}`)})
      }
      report.pods.push({id: pod.id, containers, errors})
    }
  }

  /** The image built from its Containerfile in the context dir, if there is one and --build asks (or, without --build, the store lacks the image). */
  private async buildImage(image: string, options: KubeBuildOptions, pull: {pullContext: () => ImageContext; events: KubeEvents}): Promise<void> {
    if (options.build === false) return
    const file = kubeBuildFile(image, path.resolve(options.contextDir ?? '.'))
    if (!file || (options.build !== true && resolveLocalImage(this.store, image, this.registries))) return
    await this.hooks.build({context: path.dirname(file), file, tag: image, pullContext: pull.pullContext}, pull.events)
  }

  /** The image in the store (pulled as its pull policy says) and its User, if it names one. */
  private async imageUser(name: string, policy: string, pull: {pullContext: () => ImageContext; events: CreateEvents}): Promise<string | undefined> {
    let image = policy === 'always' ? undefined : resolveLocalImage(this.store, name, this.registries)?.image
    if (!image && policy === 'never') throw new UsageError(`${name}: image not known`)
    image ??= await pullReporting(this.store, name, {...pull.pullContext(), registries: this.registries}, pull.events)
    return parseImageConfig(image.config).config.User || undefined
  }

  /** `kube down` of a YAML text: the pods its Pods and Deployments became. */
  async downYaml(text: string, events: {stop?: TargetEvents} = {}): Promise<KubeDownReport> {
    const {podNames} = await import('../kube/play')
    return await this.down(podNames(text), {}, events)
  }

  /** `kube down` (and `kube play --down`): the YAML's pods stopped, then removed with their containers. */
  async down(names: string[], options: {ignoreMissing?: boolean} = {}, events: {stop?: TargetEvents; remove?: TargetEvents} = {}): Promise<KubeDownReport> {
    const pods = await this.hooks.pods()
    const report: KubeDownReport = {stopped: [], removed: [], errors: []}
    // a missing pod fails the whole verb before anything is stopped, as Podman's
    const present = names.filter((n) => (options.ignoreMissing ? pods.exists(n) : pods.lookup(n) !== undefined))
    if (present.length === 0) return report
    report.errors.push(...(await pods.stop({names: present, ignore: options.ignoreMissing}, {onDone: (id) => report.stopped.push(id), onError: events.stop?.onError})))
    report.errors.push(...(await pods.remove({names: present, ignore: options.ignoreMissing, force: true}, {onDone: (id) => report.removed.push(id), onError: events.remove?.onError})))
    return report
  }
}
