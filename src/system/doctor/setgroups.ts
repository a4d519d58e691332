// /proc/self/setgroups inside tspod's namespace (field note 5): `allow` under the subordinate
// mapping written by newgidmap, so the runtime can set the container's groups and
// --group-add=keep-groups means something; `deny` under the single mapping.
import {CheckGroup, CheckResult, fail, ok, warn} from './check-result'
import {DoctorContext} from './context'

const CHECK = 'setgroups'

async function checkSetgroups(ctx: DoctorContext): Promise<CheckResult> {
  if (!ctx.rootless) return ok(CHECK, 'not used: running as root (no user namespace); --group-add sets groups directly')
  const probe = await ctx.namespaceProbe()
  if (!probe.ok || !ctx.mapping) return fail(CHECK, 'not probed: no user namespace could be created (see the user namespaces line)', 'see the user namespaces line')
  const held = probe.groups ? `; inside, before the runtime sets groups, you hold groups ${probe.groups.join(' ')}` : ''
  const value = probe.setgroups ?? 'unknown'
  if (ctx.mapping.mode === 'subid') {
    if (value === 'allow')
      return ok(
        CHECK,
        `allow under the subordinate mapping (written by newgidmap): the runtime sets the container's groups (dropping your supplementary ones), ` +
          `and --group-add=keep-groups is available to keep them${held}`,
      )
    return fail(
      CHECK,
      `${value} under the subordinate mapping: containers can neither drop nor set groups, so --group-add and sudo inside fail with EPERM, and --group-add=keep-groups is not available`,
      'setgroups must stay allow when mapping through newgidmap: check for a local policy writing deny to /proc/PID/setgroups, and report it to tspod',
    )
  }
  return warn(
    CHECK,
    `${value} under the single mapping (no subordinate ranges): containers keep all your supplementary groups, ` +
      `--group-add cannot set groups, and --group-add=keep-groups is not available (nor needed)${held}`,
    'add subordinate ranges (see the subuid and subgid lines); setgroups is then allow',
  )
}

export const setgroupsChecks: CheckGroup = {
  name: 'setgroups',
  summary: '/proc/self/setgroups under tspod\'s mapping, and whether --group-add=keep-groups is available',
  async run(ctx) {
    return [await checkSetgroups(ctx)]
  },
}
