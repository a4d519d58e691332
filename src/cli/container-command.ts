// What the container commands share: Podman's way with several names (each one acted on; each
// error printed as it comes; the last error's code is the exit).
import {Flags} from '@oclif/core'

import {type Engine, type TargetEvents, UsageError} from '../engine'
import {printError} from './exit'
import {lastErrorExitCode} from './exit-codes'
import {TspodCommand} from './base-command'

/** Podman's -l/--latest: act on the container created last. */
export const latestFlag = Flags.boolean({char: 'l', description: 'Act on the latest container tspod is aware of'})

export abstract class ContainerCommand extends TspodCommand {
  /** The names given, or with --latest the latest container's ID (names, or --all, and --latest together are refused). */
  protected async withLatest(engine: Engine, names: string[], latest: boolean | undefined, all?: boolean): Promise<string[]> {
    if (all && latest) throw new UsageError('--all and --latest cannot be used together')
    if (!latest) return names
    if (names.length > 0) throw new UsageError('--latest and containers cannot be used together')
    return [await engine.latestContainerId()]
  }

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
