import {Command, Interfaces} from '@oclif/core'
import type {ArgOutput, FlagOutput, Input, ParserOutput, ParsingToken} from '@oclif/core/lib/interfaces/parser'

import {Engine, TspodError} from '../engine'
import {type PhaseMark, attachTraceSink, stopTrace, tracePhase} from '../trace'
import {EXIT_BAD_LOGGING} from './exit-codes'
import {globalFlags} from './global-flags'
import {invocation} from './invocation'
import {LOG_LEVELS, isLogLevel, log, logEnabled, setLogLevel} from './log'
import {unmarkText, unmarkValue, unmarkingFlags} from './flag-values'
import {translateParseError} from './parse-errors'
import {programName} from './program-name'

/** --noout: this command's own stdout goes nowhere, as if to /dev/null (container output: container-stdout.ts). */
function silenceStdout(): void {
  process.stdout.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') process.nextTick(done as () => void)
    return true
  }) as typeof process.stdout.write
}

/** The phase trace (src/trace.ts) as debug lines: each phase's end since the process started, and its own length. */
function traceLogger(): (mark: PhaseMark) => void {
  let previous = 0
  return ({phase, at}) => {
    log('debug', `trace: ${phase} done at ${at.toFixed(1)} ms (+${(at - previous).toFixed(1)} ms)`)
    previous = at
  }
}

export type GlobalFlags = Interfaces.InferredFlags<typeof globalFlags>

/** What every tspod command shares: the global flags and the Engine on the store they select. */
export abstract class TspodCommand extends Command {
  static baseFlags = globalFlags
  /** What a listing command lists ("images"): with a damaged DB it says it cannot list them. */
  static lists?: string
  /**
   * The names its group's help lists it by, as cobra lists a command by its Use name and not its
   * aliases; default: the last word of its id. Only where Podman's name is another (`image list`).
   */
  static listedAs?: string[]
  private openedEngine?: Engine

  /** The Engine, made once per command; the store it opens is closed when the command ends. */
  protected engine(flags: GlobalFlags): Engine {
    if (!this.openedEngine) {
      this.openedEngine = new Engine({
        root: flags.root,
        runRoot: flags.runroot,
        storageDriver: flags['storage-driver'],
        storageOpts: flags['storage-opt'],
        volumePath: flags.volumepath,
        eventsBackend: flags['events-backend'],
        cgroupManager: flags['cgroup-manager'],
        defaultMountsFile: flags['default-mounts-file'],
      })
      if (logEnabled('debug')) {
        const {configFile, graphRoot, runRoot} = this.openedEngine.config
        if (configFile) log('debug', `Using storage configuration file ${configFile}`)
        log('debug', `Using graph root ${graphRoot}`)
        log('debug', `Using run root ${runRoot}`)
      }
    }
    return this.openedEngine
  }

  /** The words that named this command, as typed (`ps`, `container ls`). */
  protected commandPath(): string[] {
    return invocation.path.length > 0 ? invocation.path : this.id?.split(':') ?? []
  }

  /** The command line as given, for log lines. */
  private commandLine(): string {
    return [programName(), ...this.commandPath(), ...this.argv].join(' ')
  }

  /**
   * --log-level and --debug, as Podman checks them before any command runs: an unknown level,
   * or both flags, end the command with exit status 1.
   */
  private applyLogLevel(flags: {'log-level'?: string; debug?: boolean}, levelGiven: boolean): void {
    const level = flags['log-level'] ?? 'warn'
    if (flags.debug && levelGiven) this.failLogging('Setting --log-level and --debug is not allowed')
    if (!isLogLevel(level)) this.failLogging(`Log Level "${level}" is not supported, choose from: ${LOG_LEVELS.join(', ')}`)
    setLogLevel(flags.debug ? 'debug' : level)
    if (logEnabled('debug')) attachTraceSink(traceLogger())
    else stopTrace()
    log('info', `${programName()} filtering at log level ${flags.debug ? 'debug' : level}`)
    log('debug', `Called ${this.commandPath().join(' ')}.PersistentPreRunE(${this.commandLine()})`)
  }

  private failLogging(message: string): never {
    process.stderr.write(`${message}\n`)
    this.exit(EXIT_BAD_LOGGING)
  }

  /**
   * oclif fills a missing argument from a piped stdin; a container engine must never do that
   * (`echo 'echo hi' | tspod run -i busybox` gives the script to the container's shell).
   */
  protected async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Input<F, B, A>,
    argv?: string[],
  ): Promise<ParserOutput<F, B, A>> {
    const spec = options ?? this.ctor
    for (const arg of Object.values(spec.args ?? {})) arg.ignoreStdin = true
    // the spread keeps what oclif's own parse takes of the spec; it reads flags, baseFlags and enableJsonFlag by name
    const unmarking = {...spec, flags: unmarkingFlags(spec.flags), baseFlags: unmarkingFlags(spec.baseFlags), enableJsonFlag: spec.enableJsonFlag} as Input<F, B, A>
    let parsed: ParserOutput<F, B, A>
    try {
      parsed = await super.parse(unmarking, argv)
    } catch (err) {
      if (err instanceof Error) err.message = unmarkText(err.message)
      throw translateParseError(err, {args: spec.args ?? {}, strict: spec.strict ?? true, flags: spec.flags ?? {}}, this.commandPath(), (argv ?? this.argv).map(unmarkValue))
    } finally {
      this.argv = this.argv.map(unmarkValue)
    }
    for (const token of parsed.raw) token.input = unmarkValue(token.input)
    tracePhase('argument parsing')
    const levelGiven = parsed.raw.some((t) => t.type === 'flag' && t.flag === 'log-level')
    this.applyLogLevel(parsed.flags as {'log-level'?: string; debug?: boolean}, levelGiven)
    log('trace', `parsed ${this.commandPath().join(' ')}: flags ${JSON.stringify(parsed.flags)}, arguments ${JSON.stringify(this.positionalArgs(parsed))}`)
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
    tracePhase('command')
    log('debug', `Called ${this.commandPath().join(' ')}.PersistentPostRunE(${this.commandLine()})`)
    try {
      this.openedEngine?.close()
    } catch {
      // a damaged DB may fail to close too: the command's own error is the one to tell
    }
    return super.finally(err)
  }
}
