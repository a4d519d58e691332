// What the container commands share: the container records of the store, and Podman's way with
// several names (each one acted on; each error printed; the last error's code is the exit).
import {printError} from './exit'
import {TspodCommand, GlobalFlags} from './base-command'
import {ContainerRecords} from '../runtime/container/records'
import type {Container} from '../runtime/container/config'
import type {Store} from '../storage/store/store'

export abstract class ContainerCommand extends TspodCommand {
  protected async openContainers(flags: GlobalFlags): Promise<{store: Store; records: ContainerRecords}> {
    const store = await this.openStore(flags)
    return {store, records: ContainerRecords.open(store)}
  }

  /**
   * Run `action` for each named container; errors are printed as they come, except those
   * `ignore` accepts. Returns the errors, the last one's exit code first in line.
   */
  protected async eachContainer(
    records: ContainerRecords,
    names: string[],
    action: (c: Container, name: string) => Promise<void> | void,
    ignore: (err: unknown) => boolean = () => false,
  ): Promise<unknown[]> {
    const errors: unknown[] = []
    for (const name of names) {
      try {
        await action(records.lookup(name), name)
      } catch (err) {
        if (ignore(err)) continue
        printError(err, false)
        errors.push(err)
      }
    }
    return errors
  }

  /** The exit code after `eachContainer`: 0, or the last error's. */
  protected exitAfter(errors: unknown[]): void {
    if (errors.length > 0) this.exit((errors[errors.length - 1] as {exitCode?: number}).exitCode ?? 125)
  }
}
