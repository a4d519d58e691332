// The errors a front end tells apart (for its exit codes), by the libraries that throw them.
export {TspodError, UsageError} from '../errors'
// (each from a module of error classes only: this file is loaded by every command)
export {ContainerRunningError, NoSuchContainerError} from '../runtime/container/errors'
export {ImageInUseError, ImageUnknownError} from '../storage/store/images/errors'
export {NoSuchVolumeError, VolumeInUseError} from '../runtime/volume/errors'
export {BuildStepError} from '../build/step-error'
