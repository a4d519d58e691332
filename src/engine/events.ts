// How the Engine tells its caller what happens while a verb runs. It never prints: a front end
// (src/cli/, later a REST server) turns these into output.
import type {CopyEvent} from '../storage/image/copy/copy'

/** Progress of an image copy (pull, load, save): Podman's lines and the copy's events. */
export interface PullProgress {
  /** a progress line in Podman's words ("Trying to pull …") */
  line(text: string): void
  event(e: CopyEvent): void
  /** the copy is over (done or failed) */
  stop(): void
}

/** A verb that may warn: each warning is one line (Podman prints it as `WARN[0000] <line>`). */
export interface WarningEvents {
  onWarning?: (warning: string) => void
}

/** A verb acting on several named targets: each done or failed one is told as it comes. */
export interface TargetEvents {
  /** the target, by the name it was given, is done */
  onDone?: (name: string) => void
  /** a target failed; the verb goes on with the next */
  onError?: (err: unknown) => void
}
