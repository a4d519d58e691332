import {Command, Interfaces} from '@oclif/core'
import type {ArgOutput, FlagOutput, Input, ParserOutput, ParsingToken} from '@oclif/core/lib/interfaces/parser'

import {RegistriesConfig, loadRegistriesConf} from '../storage/config/registries-conf'
import {StorageConfig, loadStorageConfig} from '../storage/config/storage-conf'
import {Store} from '../storage/store/store'
import {globalFlags} from './global-flags'

export type GlobalFlags = Interfaces.InferredFlags<typeof globalFlags>

/** What every tspod command shares: the global flags and the store location they select. */
export abstract class TspodCommand extends Command {
  static baseFlags = globalFlags
  private openedStore?: Store

  protected storageConfig(flags: GlobalFlags): StorageConfig {
    return loadStorageConfig({root: flags.root, runRoot: flags.runroot})
  }

  /** The store, opened once per command and closed when the command ends. */
  protected async openStore(flags: GlobalFlags): Promise<Store> {
    this.openedStore ??= await Store.open(this.storageConfig(flags))
    return this.openedStore
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
    return super.parse(options, argv)
  }

  /**
   * The positional arguments in the order given. oclif's own `argv` sorts them by the first
   * place each value occurs, which moves a repeated value (`run busybox echo busybox`).
   */
  protected positionalArgs(parsed: {raw: ParsingToken[]}): string[] {
    return parsed.raw.flatMap((token) => (token.type === 'arg' ? [token.input] : []))
  }

  protected registries(): RegistriesConfig {
    return loadRegistriesConf()
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

  protected async finally(err: Error | undefined): Promise<unknown> {
    this.openedStore?.close()
    return super.finally(err)
  }
}
