import {Command, Interfaces} from '@oclif/core'
import type {ArgOutput, FlagOutput, Input, ParserOutput, ParsingToken} from '@oclif/core/lib/interfaces/parser'

import {Engine, TspodError} from '../engine'
import {globalFlags} from './global-flags'

/** --noout: this command's own stdout goes nowhere, as if to /dev/null (container output: container-stdout.ts). */
function silenceStdout(): void {
  process.stdout.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') process.nextTick(done as () => void)
    return true
  }) as typeof process.stdout.write
}

export type GlobalFlags = Interfaces.InferredFlags<typeof globalFlags>

/** What every tspod command shares: the global flags and the Engine on the store they select. */
export abstract class TspodCommand extends Command {
  static baseFlags = globalFlags
  /** What a listing command lists ("images"): with a damaged DB it says it cannot list them. */
  static lists?: string
  private openedEngine?: Engine

  /** The Engine, made once per command; the store it opens is closed when the command ends. */
  protected engine(flags: GlobalFlags): Engine {
    this.openedEngine ??= new Engine({
      root: flags.root,
      runRoot: flags.runroot,
      storageDriver: flags['storage-driver'],
      storageOpts: flags['storage-opt'],
      volumePath: flags.volumepath,
    })
    return this.openedEngine
  }

  /**
   * oclif fills a missing argument from a piped stdin; a container engine must never do that
   * (`echo 'echo hi' | tspod run -i busybox` gives the script to the container's shell).
   */
  protected async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Input<F, B, A>,
    argv?: string[],
  ): Promise<ParserOutput<F, B, A>> {
    for (const arg of Object.values((options ?? this.ctor).args ?? {})) arg.ignoreStdin = true
    const parsed = await super.parse(options, argv)
    if ((parsed.flags as {noout?: boolean}).noout) silenceStdout()
    return parsed
  }

  /**
   * The positional arguments in the order given. oclif's own `argv` sorts them by the first
   * place each value occurs, which moves a repeated value (`run busybox echo busybox`).
   */
  protected positionalArgs(parsed: {raw: ParsingToken[]}): string[] {
    return parsed.raw.flatMap((token) => (token.type === 'arg' ? [token.input] : []))
  }

  /** An AbortSignal that fires on SIGINT/SIGTERM, so work in progress is undone cleanly. */
  protected interruptSignal(): AbortSignal {
    const controller = new AbortController()
    for (const sig of ['SIGINT', 'SIGTERM'] as const)
      process.once(sig, () => controller.abort(new Error(`interrupted by ${sig}`)))
    return controller.signal
  }

  protected print(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : text + '\n')
  }

  /** A warning line, as Podman logs one. */
  protected printWarning(warning: string): void {
    process.stderr.write(`WARN[0000] ${warning}\n`)
  }

  /** A damaged DB, whenever a query meets it, is told as one line naming `system check --repair`. */
  protected async catch(err: Error): Promise<unknown> {
    const damaged = (this.openedEngine ?? new Engine()).damagedDatabase(err)
    if (!damaged) return super.catch(err)
    const lists = (this.constructor as typeof TspodCommand).lists
    throw lists ? new TspodError(`cannot list ${lists}: ${damaged.message}`, {cause: err, path: damaged.path}) : damaged
  }

  protected async finally(err: Error | undefined): Promise<unknown> {
    try {
      this.openedEngine?.close()
    } catch {
      // a damaged DB may fail to close too: the command's own error is the one to tell
    }
    return super.finally(err)
  }
}
