// The only place tspod prints an error (Podman's `Error: <msg>`); exit-codes.ts decides the exit status.
import {CommandLineError} from './command-line-error'

interface OclifCarrier {
  oclif?: {exit?: number}
  code?: string
}

/** oclif throws ExitError for this.exit(n): not an error to print. */
export function isExit(err: unknown): err is {oclif: {exit: number}} {
  const e = err as OclifCarrier & {code?: string}
  return e?.code === 'EEXIT' && typeof e.oclif?.exit === 'number'
}

/** oclif's parser messages, reworded as Podman (cobra) words them, on one line. */
export function messageFor(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const first = message.split('\n')[0]
  const nonexistent = /^Nonexistent flags?: (.+)$/.exec(first)
  if (nonexistent) return `unknown flag: ${nonexistent[1].split(', ')[0]}`
  const unexpected = /^Unexpected arguments?: (.+)$/.exec(first)
  if (unexpected) return `accepts no arguments, received: ${unexpected[1]}`
  const expected = /^Expected (--\S+)=(\S+) to be one of: (.+)$/.exec(first)
  if (expected) return `invalid argument "${expected[2]}" for "${expected[1]}" flag: expected one of ${expected[3]}`
  const missingArgs = /^Missing (\d+) required args?/.exec(first)
  if (missingArgs) return `requires at least ${missingArgs[1]} arg(s), only received 0`
  const missing = /^Flag (--\S+) expects a value$/.exec(first)
  if (missing) return `flag needs an argument: ${missing[1]}`
  return first.trimStart() // the end kept: Podman prints a message as it is ("invalid signal: " of an empty name)
}

export function printError(err: unknown, debug: boolean): void {
  process.stderr.write(`Error: ${messageFor(err)}\n`)
  if (err instanceof CommandLineError && err.followUp) process.stderr.write(`${err.followUp}\n`)
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
}
