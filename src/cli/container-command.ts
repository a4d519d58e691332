// What the container commands share: the container records of the store, and Podman's way with
// several names (each one acted on; each error printed; the last error's code is the exit).
import {printError} from './exit'
import {lastErrorExitCode} from './exit-codes'
import {TspodCommand, GlobalFlags} from './base-command'
import {ContainerRecords} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import type {Container} from '../runtime/container/config'
import type {Store} from '../storage/store/store'

export abstract class ContainerCommand extends TspodCommand {
  /** The records, once `--rm` containers whose monitor died (killed with it) are removed. */
  protected async openContainers(flags: GlobalFlags): Promise<{store: Store; records: ContainerRecords}> {
    const store = await this.openStore(flags)
    const records = ContainerRecords.open(store)
    for (const c of records.abandonedAutoRemove()) await removeContainer(store, records, c)
    return {store, records}
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
    if (errors.length > 0) this.exit(lastErrorExitCode(errors))
  }
}
