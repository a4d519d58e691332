// newuidmap and newgidmap: found, runnable, and privileged (setuid root, or the file capability
// cap_setuid / cap_setgid), without which the subordinate ranges cannot be mapped.
import * as fs from 'node:fs'

import {findMappingTool} from '../../userns/idmap'
import {shellQuote} from '../../storage/store/preflight/shell-quote'
import {CheckGroup, CheckResult, asRoot, fail, ok} from './check-result'
import {DoctorContext} from './context'
import {CAP_SETGID, CAP_SETUID, grants, readFileCapabilities} from './file-capabilities'

function checkTool(ctx: DoctorContext, name: 'newuidmap' | 'newgidmap'): CheckResult {
  const cap = name === 'newuidmap' ? 'cap_setuid' : 'cap_setgid'
  if (!ctx.rootless) return ok(name, 'not used: running as root (no user namespace)')
  const needed = ctx.mapping?.mode !== 'single'
  const tool = findMappingTool(name)
  if (!tool.path) {
    const message = `${name} not found in $PATH or the usual sbin/bin dirs`
    if (!needed) return ok(name, `${message}; not needed while you have no subordinate ranges (single mapping)`)
    return fail(name, `${message}: rootless mode with subordinate ids needs it ("command required for rootless mode with multiple IDs")`, asRoot('apt-get install uidmap') + ' (Debian, Ubuntu; `dnf install shadow-utils` on Fedora)', {
      rootCommands: ['apt-get install uidmap'],
    })
  }
  const p = shellQuote(tool.path)
  const st = fs.statSync(tool.path)
  try {
    fs.accessSync(tool.path, fs.constants.X_OK)
  } catch {
    return fail(name, `${tool.path} is not executable by you (mode 0${(st.mode & 0o7777).toString(8)})`, asRoot(`chmod a+x ${p}`), {rootCommands: [`chmod a+x ${p}`]})
  }
  const setuidRoot = (st.mode & 0o4000) !== 0 && st.uid === 0
  const caps = readFileCapabilities(tool.path)
  const capOk = grants(caps, name === 'newuidmap' ? CAP_SETUID : CAP_SETGID)
  if (setuidRoot) return ok(name, `${tool.path} is setuid root`)
  if (capOk) return ok(name, `${tool.path} has the file capability ${cap}+ep`)
  const what = caps ? `has file capabilities but not ${cap}+ep` : `is neither setuid root nor has the file capability ${cap}`
  const message = `${tool.path} ${what}: it cannot write the id maps ("should have setuid or have filecaps setuid")`
  const fix = asRoot(`setcap ${cap}+ep ${p}`, `chmod u+s ${p}`)
  if (!needed) return ok(name, `${message}; not needed while you have no subordinate ranges (single mapping)`, fix)
  return fail(name, message, fix, {rootCommands: [`setcap ${cap}+ep ${p}`]})
}

export const mappingToolChecks: CheckGroup = {
  name: 'idmap-tools',
  summary: 'newuidmap and newgidmap: installed, setuid or with file capabilities',
  async run(ctx) {
    return [checkTool(ctx, 'newuidmap'), checkTool(ctx, 'newgidmap')]
  },
}
