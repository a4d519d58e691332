// A build step whose command failed: the build exits with the command's own exit code, as Podman's.
import {TspodError} from '../errors'

export class BuildStepError extends TspodError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}
