// The errors a front end tells apart (for its exit codes), by the libraries that throw them.
export {TspodError, UsageError} from '../errors'
export {NoSuchContainerError} from '../runtime/container/records'
export {ContainerRunningError} from '../runtime/container/remove'
export {ImageUnknownError} from '../storage/store/images/lookup'
export {ImageInUseError} from '../storage/store/images/remove'
export {NoSuchVolumeError, VolumeInUseError} from '../runtime/volume/errors'
export {BuildStepError} from '../build/step-error'
