// XDG_RUNTIME_DIR: set by a login session, present, owned by the user, neither readable nor
// writable by others (Podman keeps its run root and pause process there; tspod its run root).
// 0711 is fine: an external runtime running a container with a user namespace of its own reaches
// the run dir below it as a subordinate id, so tspod (as Podman's makeAccessible) adds --x.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {shellQuote} from '../../storage/store/preflight/shell-quote'
import {CheckGroup, CheckResult, asRoot, fail, ok, warn} from './check-result'
import {DoctorContext} from './context'

const CHECK = 'XDG_RUNTIME_DIR'

function checkRuntimeDir(ctx: DoctorContext): CheckResult {
  const {name, uid} = ctx.user
  const dir = ctx.env.XDG_RUNTIME_DIR
  if (!ctx.rootless) return ok(CHECK, `not needed as root (run root ${ctx.config.runRoot})`)
  const expected = `/run/user/${uid}`
  const session = `log in through a session that sets it (ssh, \`machinectl shell ${name}@\`); ${asRoot(`loginctl enable-linger ${name}`)} keeps it across logouts`
  if (!dir) {
    const fallback = ctx.config.runRoot === path.join(ctx.env.TMPDIR || '/tmp', `tspod-run-${uid}`)
    return warn(
      CHECK,
      `XDG_RUNTIME_DIR is not set (no login session)${fallback ? `: tspod keeps its run root in ${ctx.config.runRoot} instead` : ''}`,
      `${session}; or \`export XDG_RUNTIME_DIR=${expected}\` if that dir exists and is yours`,
    )
  }
  let st: fs.Stats
  try {
    st = fs.statSync(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const command = `install -d -m 0700 -o ${shellQuote(name)} -g ${shellQuote(ctx.accounts.groupName(ctx.user.gid))} ${shellQuote(dir)}`
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be inspected (${code})`
    return fail(CHECK, `XDG_RUNTIME_DIR=${dir} ${what}: tspod cannot keep its run root there`, `${session}; or ${asRoot(command)}`, {rootCommands: [command]})
  }
  if (!st.isDirectory()) return fail(CHECK, `XDG_RUNTIME_DIR=${dir} is not a directory`, `\`export XDG_RUNTIME_DIR=${expected}\` (or ${session})`)
  if (st.uid !== uid)
    return fail(
      CHECK,
      `XDG_RUNTIME_DIR directory "${dir}" is not owned by the current user (owner ${ctx.accounts.userName(st.uid)}, uid ${st.uid})`,
      `\`export XDG_RUNTIME_DIR=${expected}\` (a shell from su or sudo keeps the other user's), or ${session}`,
    )
  const mode = st.mode & 0o777
  if (mode & 0o066) return warn(CHECK, `${dir} has mode 0${mode.toString(8)}: other users can list or change your runtime state`, `\`chmod 0700 ${shellQuote(dir)}\``)
  const through = mode & 0o011 ? ' (others can only pass through it, to what they know the name of)' : ''
  return ok(CHECK, `${dir} exists, owned by you, mode 0${mode.toString(8)}${through}`)
}

export const runtimeDirChecks: CheckGroup = {
  name: 'runtime-dir',
  summary: 'XDG_RUNTIME_DIR set, present, owned by the user, not readable or writable by others',
  async run(ctx) {
    return [checkRuntimeDir(ctx)]
  },
}
