// The image errors callers branch on, in a module of their own: a front end that tells them
// apart (its exit codes) loads these classes, not the lookup and removal code that throws them.
import {ErrorClass, TspodError} from '../../../errors'

export class ImageUnknownError extends TspodError {
  override readonly errorClass: ErrorClass = 'NoSuchObject'
}

export class ImageInUseError extends TspodError {
  override readonly errorClass: ErrorClass = 'InUse'
}
