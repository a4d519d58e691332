// The Engine's public surface: what a front end (src/commands/ and src/cli/) may use. It loads
// nothing but the Engine itself; the error classes a front end tells apart are in errors.ts, the
// registry words of the pull flags and progress in registry.ts.
export {Engine} from './engine'
export type {ContainerListing, EngineOptions, InspectType, LogSink, LogsOptions, RunEvents, RunOptions, RunResult, Targets} from './engine'
export type {CreateEvents, CreateInput, PullPolicy} from './create'
export type {PullProgress, TargetEvents, WarningEvents} from './events'

export {TspodError, UsageError} from '../errors'


export type {ExecOptions} from '../runtime/container/exec'
export type {LogEntry} from '../runtime/container/log-file'
export type {PortMapping} from '../runtime/network/publish'
export type {ContainerSummary} from '../runtime/container/report'
export type {ContainerStats} from '../runtime/stats/stats'
export type {ImageSummary} from '../storage/store/images/report'
export type {HistoryRow} from '../storage/store/images/history'
export type {ImageLayerTree, LayerBranch, TreeLayer} from '../storage/store/images/layer-tree'
export type {SearchResult} from '../storage/image/search'
export type {CopyEvent} from '../storage/image/copy/copy'
export type {ImageContext, Platform} from '../storage/image/transports/types'
export type {DiskUsage} from '../system/disk-usage-report'
export type {Finding} from '../storage/store/check/finding'
export type {StorageConfig} from '../storage/config/storage-conf'

export {goArchitecture} from '../storage/image/manifest/platform'
export {manifestAdd, manifestAnnotate, manifestCreate, manifestExists, manifestInspect, manifestPush, manifestRemove, manifestRm} from './manifests'
export type {InstanceOverrides} from './manifests'
export {networkJson} from '../runtime/network/netavark/config'
export {eventJson, humanReadable, type PodmanEvent} from '../events/event'
export {goTimeString} from '../events/time'
export {goDuration} from '../runtime/top/go-format'
export {builtTime} from '../package-info'
export {prettySecret} from '../runtime/secret/report'
