// The Engine's side of `build`: base images found or pulled as `create` does, and each RUN step
// a rootless container of the step's image, run in the foreground on the same store and runtime
// (its output on ours), its changes tarred as a layer, and the container removed whatever happened.
import {BuildRuntime} from '../build/builder'
import {TspodError} from '../errors'
import {containerMapping, diffLayer} from '../build/layer-diff'
import {runAttached} from '../runtime/container/attach'
import {containerDirs} from '../runtime/container/paths'
import type {ContainerRecords} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import {parseContainerSpec} from '../specgen/parse'
import type {RegistriesConfig} from '../storage/image/config/registries-conf'
import type {ImageContext} from '../storage/image/transports/types'
import type {Image} from '../storage/store/images/images'
import {resolveLocalImage} from '../storage/store/images/lookup'
import type {Store} from '../storage/store/store'
import {createFromImage, PullPolicy, pullReporting} from './create'
import type {PullProgress, WarningEvents} from './events'
import {tracePhase} from '../trace'

/** build's --dns, --dns-search and --dns-option, as run's for each RUN step's container */
export interface RunStepDns {
  servers?: string[]
  search?: string[]
  options?: string[]
}

export function buildRuntime(
  store: Store,
  records: ContainerRecords,
  registries: RegistriesConfig,
  options: {pullPolicy: PullPolicy; pullContext: () => ImageContext; runtime?: string; runtimeFlags?: string[]; outputFd?: number; ulimits?: string[]; securityOpt?: string[]; dns?: RunStepDns; defaultMountsFile?: string},
  events: WarningEvents & {pullProgress?: () => PullProgress} = {},
): BuildRuntime {
  return {
    async image(name: string): Promise<Image> {
      const local = options.pullPolicy === 'always' ? undefined : resolveLocalImage(store, name, registries)
      if (local) return local.image
      if (options.pullPolicy === 'never') throw new Error(`${name}: image not known`)
      return pullReporting(store, name, {...options.pullContext(), registries}, events)
    },

    async run(image, step) {
      const spec = parseContainerSpec({
        entrypoint: JSON.stringify(step.argv),
        args: [],
        env: step.env.map(([k, v]) => `${k}=${v}`),
        volumes: step.volumes,
        tmpfs: step.tmpfs,
        network: step.network,
        userns: step.userns,
        runtime: options.runtime,
        runtimeFlags: options.runtimeFlags,
        ulimit: options.ulimits,
        securityOpt: options.securityOpt,
        dns: options.dns?.servers,
        dnsSearch: options.dns?.search,
        dnsOption: options.dns?.options,
      })
      const {container, warnings} = await createFromImage(store, records, registries, {image: image.id, spec, pullPolicy: 'never', pullContext: options.pullContext, transient: true, defaultMountsFile: options.defaultMountsFile}, {})
      tracePhase('container created')
      warnings.forEach((w) => events.onWarning?.(w))
      try {
        let exitCode: number
        try {
          exitCode = await runAttached(store, records, container, {interactive: false, log: false, outputFd: options.outputFd})
        } catch (err) {
          if (!(err instanceof TspodError) || err.errorClass !== 'CannotInvoke') throw err
          return {exitCode: 1, startError: err.message}
        }
        if (exitCode !== 0) return {exitCode}
        const layer = await diffLayer(containerDirs(store, container.config.id).upper, step.layerFile, containerMapping(container.config.spec, store.mapping), step.skip, step.layerWorker)
        tracePhase('layer diff')
        return {exitCode, layer: {file: step.layerFile, ...layer}}
      } finally {
        await removeContainer(store, records, records.get(container.config.id) ?? container, {force: true})
        tracePhase('container removal')
      }
    },
  }
}
