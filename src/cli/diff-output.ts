// `diff` output as Podman prints it: "A /path" lines, or with --format json the paths by kind.
import {Flags} from '@oclif/core'

import {UsageError} from '../errors'
import type {Change} from '../storage/store/changes'

export const diffFormatFlag = Flags.string({description: "Change the output format (json)"})

export function renderChanges(changes: Change[], format: string | undefined): string {
  if (format === undefined || format === '') return changes.map((c) => `${c.kind} ${c.path}\n`).join('')
  if (format !== 'json') throw new UsageError("only supported value for '--format' is 'json'")
  const paths = (kind: Change['kind']) => changes.filter((c) => c.kind === kind).map((c) => c.path)
  const report: Record<string, string[]> = {}
  for (const [key, kind] of [['changed', 'C'], ['added', 'A'], ['deleted', 'D']] as const) {
    const list = paths(kind)
    if (list.length > 0) report[key] = list
  }
  // Podman indents this report with five spaces
  return JSON.stringify(report, null, 5) + '\n'
}
