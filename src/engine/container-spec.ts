// The typed container a front end asks for, and its parser from Podman's flag syntax: kept apart
// from index.ts so that only `create` and `run` load the parsers.
export {parseContainerSpec} from '../specgen/parse'
export type {ContainerSpec} from '../specgen/container-spec'
export type {ContainerOptions} from '../specgen/options'
