// User namespaces: enabled by the sysctls, and really creatable with tspod's own primitive and
// the mapping tspod would use.
import {maxUserNamespaces, readNumberFile} from '../../runtime/host'
import {IdMapping} from '../../userns/idmap'
import {CheckGroup, CheckResult, asRoot, fail, ok} from './check-result'
import {DoctorContext} from './context'

const CHECK = 'user namespaces'
const MAX_FILE = '/proc/sys/user/max_user_namespaces'
const DEBIAN_CLONE_FILE = '/proc/sys/kernel/unprivileged_userns_clone'
const APPARMOR_FILE = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns'

export function mapText(map: IdMapping[]): string {
  return map.map((m) => `${m.containerID} ${m.hostID} ${m.size}`).join(', ')
}

async function checkUserNamespaces(ctx: DoctorContext): Promise<CheckResult> {
  const max = maxUserNamespaces()
  if (max === undefined) return fail(CHECK, `${MAX_FILE} is missing: this kernel has no user namespaces`, 'use a kernel built with CONFIG_USER_NS=y')
  const persist = '(and put it in /etc/sysctl.d/ to keep it)'
  if (max === 0)
    return fail(CHECK, `user namespaces are not enabled in ${MAX_FILE} (0)`, `${asRoot('sysctl -w user.max_user_namespaces=15000')} ${persist}`, {
      rootCommands: ['sysctl -w user.max_user_namespaces=15000'],
    })
  if (readNumberFile(DEBIAN_CLONE_FILE) === 0)
    return fail(CHECK, `unprivileged user namespaces are disabled in ${DEBIAN_CLONE_FILE} (0)`, `${asRoot('sysctl -w kernel.unprivileged_userns_clone=1')} ${persist}`, {
      rootCommands: ['sysctl -w kernel.unprivileged_userns_clone=1'],
    })
  if (!ctx.rootless) return ok(CHECK, `max_user_namespaces is ${max}; as root tspod needs no user namespace`)
  const mapping = ctx.mapping
  if (!mapping) return fail(CHECK, `not probed: no id mapping can be planned: ${ctx.mappingError}`, 'fix /etc/subuid and /etc/subgid (see the subuid and subgid lines)')
  const probe = await ctx.namespaceProbe()
  if (!probe.ok) {
    const apparmor = readNumberFile(APPARMOR_FILE) === 1 ? `; ${APPARMOR_FILE} is 1` : ''
    const fix = apparmor
      ? `${asRoot('sysctl -w kernel.apparmor_restrict_unprivileged_userns=0')}, or an AppArmor profile that allows userns for node`
      : 'see the newuidmap, newgidmap, subuid and subgid lines'
    return fail(CHECK, `creating a user namespace with the ${mapping.mode} mapping failed: ${probe.error}${apparmor}`, fix)
  }
  return ok(CHECK, `max_user_namespaces is ${max}; a user namespace was created with the ${mapping.mode} mapping (uid map ${mapText(mapping.uidMap)}; gid map ${mapText(mapping.gidMap)})`)
}

export const userNamespaceChecks: CheckGroup = {
  name: 'userns',
  summary: 'user namespaces enabled, and a real one created with tspod\'s mapping',
  async run(ctx) {
    return [await checkUserNamespaces(ctx)]
  },
}
