// What a doctor check reports: one line each, OK / WARN / FAIL, what it found and the exact
// fix; some carry a repair that `doctor --fix` may apply (safe, no root), others commands that
// only root can run, which `--fix` prints.
import type {DoctorContext} from './context'

export type CheckStatus = 'OK' | 'WARN' | 'FAIL'

export interface Repair {
  /** what it does, as printed after doing it: "removed the orphan layer dir /x/overlay/ab12" */
  description: string
  apply(): Promise<void>
}

export interface CheckResult {
  check: string
  status: CheckStatus
  message: string
  /** the exact fix, commands in backticks; '' when there is nothing to do */
  fix: string
  /** applied by `doctor --fix`: needs no root and touches nothing but what the check names */
  repairs?: Repair[]
  /** commands that need root, printed by `doctor --fix`: run all of them, in order */
  rootCommands?: string[]
}

/** A group of related checks; its name is what `doctor --check NAME` selects. */
export interface CheckGroup {
  name: string
  /** one line for `doctor --help` */
  summary: string
  run(ctx: DoctorContext): Promise<CheckResult[]>
}

export function ok(check: string, message: string, fix = '', extra: Partial<CheckResult> = {}): CheckResult {
  return {check, status: 'OK', message, fix, ...extra}
}

export function warn(check: string, message: string, fix: string, extra: Partial<CheckResult> = {}): CheckResult {
  return {check, status: 'WARN', message, fix, ...extra}
}

export function fail(check: string, message: string, fix: string, extra: Partial<CheckResult> = {}): CheckResult {
  return {check, status: 'FAIL', message, fix, ...extra}
}

/** `cmd` → "as root: `cmd`" */
export function asRoot(...commands: string[]): string {
  return `as root: ${commands.map((c) => `\`${c}\``).join(' or ')}`
}
