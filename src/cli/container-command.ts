// What the container commands share: Podman's way with several names (each one acted on; each
// error printed as it comes; the last error's code is the exit).
import type {TargetEvents} from '../engine'
import {printError} from './exit'
import {lastErrorExitCode} from './exit-codes'
import {TspodCommand} from './base-command'

export abstract class ContainerCommand extends TspodCommand {
  /** Each target's name printed when done, each error as it comes. */
  /** A warning of create/run options: a bare line when Podman prints it so, else a log entry. */
  protected specWarning = (text: string, plain: boolean): void => {
    if (plain) process.stderr.write(`${text}\n`)
    else this.printWarning(text)
  }

  protected targetEvents(): Required<TargetEvents> {
    return {onDone: (name) => this.print(name), onError: (err) => printError(err, false)}
  }

  /** The exit code after a verb on several targets: 0, or the last error's. */
  protected exitAfter(errors: unknown[]): void {
    if (errors.length > 0) this.exit(lastErrorExitCode(errors))
  }
}
