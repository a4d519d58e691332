// `--group-add` as Podman reads it: group names or gids, or keep-groups alone. They are looked
// up in the image's /etc/group at create (runtime/spec/user.ts).
import {UsageError} from '../errors'

export const KEEP_GROUPS = 'keep-groups'

/**
 * Split the `--group-add` values (the flag is a string slice: commas separate values too) into
 * groups and the special `keep-groups`, which must stand alone.
 */
export function splitGroupAdd(values: string[]): {groups: string[]; keepGroups: boolean} {
  const all = values.flatMap((v) => v.split(',')).filter((v) => v !== '')
  const keepGroups = all.includes(KEEP_GROUPS)
  if (keepGroups && all.length > 1)
    throw new UsageError(`the '--group-add ${KEEP_GROUPS}' option is not allowed with any other --group-add options`)
  return {groups: keepGroups ? [] : all, keepGroups}
}
