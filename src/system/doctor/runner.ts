// Run the doctor's check groups in a fixed order, turn the results into lines, JSON and an exit
// status, and apply the safe repairs of `doctor --fix`.
import {UsageError} from '../../errors'
import {cgroupChecks} from './cgroups'
import {CheckGroup, CheckResult, CheckStatus, fail} from './check-result'
import {DoctorContext} from './context'
import {diskSpaceChecks} from './disk-space'
import {mappingToolChecks} from './mapping-tools'
import {networkChecks} from './network'
import {overlayChecks} from './overlay'
import {runtimeDirChecks} from './runtime-dir'
import {setgroupsChecks} from './setgroups'
import {databaseChecks} from './store-database'
import {leftoverChecks} from './store-leftovers'
import {storePathChecks} from './store-paths'
import {subordinateIdChecks} from './subordinate-ids'
import {userNamespaceChecks} from './user-namespaces'

export const CHECK_GROUPS: CheckGroup[] = [
  subordinateIdChecks,
  mappingToolChecks,
  userNamespaceChecks,
  setgroupsChecks,
  overlayChecks,
  networkChecks,
  storePathChecks,
  runtimeDirChecks,
  diskSpaceChecks,
  databaseChecks,
  leftoverChecks,
  cgroupChecks,
]

export const EXIT_ALL_OK = 0
export const EXIT_WARNINGS = 1
export const EXIT_FAILURES = 2

/** Every group, or those named; an unknown name is a usage error. */
export function selectGroups(names: string[] | undefined): CheckGroup[] {
  if (!names || names.length === 0) return CHECK_GROUPS
  for (const name of names)
    if (!CHECK_GROUPS.some((g) => g.name === name))
      throw new UsageError(`unknown check "${name}": expected one of ${CHECK_GROUPS.map((g) => g.name).join(', ')}`)
  return CHECK_GROUPS.filter((g) => names.includes(g.name))
}

/** Run the groups one after the other; a check that throws becomes a FAIL line of its own. */
export async function runChecks(ctx: DoctorContext, groups: CheckGroup[] = CHECK_GROUPS): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const group of groups) {
    try {
      results.push(...(await group.run(ctx)))
    } catch (err) {
      results.push(fail(group.name, `the check itself failed: ${err instanceof Error ? err.message : String(err)}`, ''))
    }
  }
  return results
}

export function doctorExitCode(results: CheckResult[]): number {
  if (results.some((r) => r.status === 'FAIL')) return EXIT_FAILURES
  if (results.some((r) => r.status === 'WARN')) return EXIT_WARNINGS
  return EXIT_ALL_OK
}

/** `OK   subuid: ...`, `WARN graph root path: ...; fix: ...` */
export function formatResult(r: CheckResult): string {
  return `${r.status.padEnd(4)} ${r.check}: ${r.message}${r.fix ? `; fix: ${r.fix}` : ''}`
}

export interface ReportEntry {
  check: string
  status: CheckStatus
  message: string
  fix: string
}

/** The `--format json` shape: the results without their repair actions. */
export function toReport(results: CheckResult[]): ReportEntry[] {
  return results.map(({check, status, message, fix}) => ({check, status, message, fix}))
}

export interface RepairOutcome {
  check: string
  description: string
  error?: string
}

/** Apply every repair the results carry, in order; a failing repair is reported, not thrown. */
export async function applyRepairs(results: CheckResult[]): Promise<RepairOutcome[]> {
  const outcomes: RepairOutcome[] = []
  for (const r of results)
    for (const repair of r.repairs ?? []) {
      try {
        await repair.apply()
        outcomes.push({check: r.check, description: repair.description})
      } catch (err) {
        outcomes.push({check: r.check, description: repair.description, error: (err as Error).message})
      }
    }
  return outcomes
}

/** The commands that need root, for the checks that are not OK (and repairs cannot cover). */
export function rootCommands(results: CheckResult[]): {check: string; command: string}[] {
  return results.filter((r) => r.status !== 'OK').flatMap((r) => (r.rootCommands ?? []).map((command) => ({check: r.check, command})))
}
