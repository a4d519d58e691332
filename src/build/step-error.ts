// A build step whose command failed: the build exits with the command's own exit code, as Podman's.
// A step whose container could not start at all fails as buildah's does when its runtime exits 1:
// the runtime's own message first (`runtimeMessage`), then the step's error, exit status 1.
import {TspodError} from '../errors'

export class BuildStepError extends TspodError {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly runtimeMessage?: string,
  ) {
    super(message)
  }
}
