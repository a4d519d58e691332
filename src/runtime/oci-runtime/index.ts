// Running a container with an external OCI runtime (`--runtime crun|runc|PATH`) instead of
// tspod's native one: what `run` and `start` call in place of spawnInNamespaces.
export {OciRuntimeChild, OciRuntimeStart, startWithOciRuntime} from './start'
export {OciRuntimeInfo, OciRuntimeKind, identifyOciRuntime, resolveOciRuntime} from './resolve'
export {OciRuntimeAccess, OciRuntimeAccessInput, checkOciRuntimeAccess} from './preflight'
export {externalRuntimeSpec, specJson, writeBundleConfig} from './bundle'
export {OCI_NOT_FOUND, OCI_PERMISSION_DENIED, OCI_RUNTIME_ERROR, runtimeError} from './runtime-error'
