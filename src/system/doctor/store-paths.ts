// The graph root and the run root: every dir above them (the supplementary-group trap of field
// note 1), their own owner and mode, and the filesystem and mount options they live on.
import * as fs from 'node:fs'

import {ensurePrivateDir} from '../../storage/store/dirs'
import {AccessWalk} from '../../storage/store/preflight/access-walk'
import {mountFor} from '../../storage/store/preflight/mountinfo'
import {shellQuote} from '../../storage/store/preflight/shell-quote'
import {CheckGroup, CheckResult, asRoot, fail, ok, warn} from './check-result'
import {DoctorContext, nearestExisting, realPath, relocationHint} from './context'

type Role = 'graph root' | 'run root'

/** containers-storage's isNetworkFileSystem list (drivers/overlay/overlay.go), as mountinfo names them */
const NETWORK_FS = /^(nfs4?|cifs|smb3?|smbfs|afs|ceph|gpfs|lustre|ocfs2|panfs|vboxsf|vxfs|9p|fuse\.sshfs|glusterfs|fuse\.glusterfs)$/
const STACKED_FS = /^(overlay|aufs|ecryptfs)$/

function pathResults(ctx: DoctorContext, walk: AccessWalk): CheckResult[] {
  const check = `${walk.role} path`
  const results: CheckResult[] = []
  for (const f of walk.findings) {
    // For --fix, the most targeted command (setfacl for the user alone) when there is one.
    const best = f.commands.find((c) => c.startsWith('setfacl')) ?? f.commands[0]
    const extra = f.needsRoot && best ? {rootCommands: [best]} : {}
    if (f.severity === 'info') results.push(ok(check, f.message))
    else if (f.severity === 'warning') results.push(warn(check, f.message, f.fix, extra))
    else results.push(fail(check, f.message, f.fix, extra))
  }
  if (walk.findings.some((f) => f.severity !== 'info')) return results
  if (results.length === 0) {
    const inside = ctx.rootless ? ', also inside the user namespace' : ''
    results.push(
      walk.missing
        ? ok(check, `every dir on the way to ${walk.target} is searchable by you${inside}; ${walk.missing} does not exist yet and you may create it`)
        : ok(check, `every dir from / to ${walk.target} is searchable by you and it is writable${inside}`),
    )
  }
  return results
}

function ownerResult(ctx: DoctorContext, walk: AccessWalk): CheckResult {
  const check = `${walk.role} owner`
  const target = walk.target
  const q = shellQuote(target)
  if (!walk.ok) return warn(check, `not checked: ${target} cannot be reached (see the ${walk.role} path line)`, '')
  if (walk.missing)
    return ok(check, `${target} does not exist yet: tspod creates it (mode 0700) on first use`, '`tspod doctor --fix` creates it now', {
      repairs: [{description: `created the ${walk.role} ${target} (mode 0700)`, apply: async () => ensurePrivateDir(target)}],
    })
  const st = fs.statSync(target)
  const mode = `0${(st.mode & 0o777).toString(8)}`
  if (!st.isDirectory()) return fail(check, `${target} is not a directory`, relocationHint(ctx, walk.role as Role))
  const refused = `tspod refuses it ("path "${target}" exists and it is not writeable only by the current user")`
  if (st.uid !== ctx.user.uid) {
    const owner = `${ctx.accounts.userName(st.uid)}:${ctx.accounts.groupName(st.gid)}`
    const command = `chown ${shellQuote(ctx.user.name)}: ${q}`
    return fail(check, `${target} is owned by ${owner} (ids ${st.uid}:${st.gid}), not by you: ${refused}`, `${asRoot(command)}, or ${relocationHint(ctx, walk.role as Role)}`, {
      rootCommands: [command],
    })
  }
  if (st.mode & 0o022) return fail(check, `${target} has mode ${mode}: others can write to it, so ${refused}`, `\`chmod 0700 ${q}\``)
  if (st.mode & 0o077) return warn(check, `${target} has mode ${mode}: other users can look into it`, `\`chmod 0700 ${q}\``)
  return ok(check, `${target} is owned by you (${ctx.user.name}), mode ${mode}`)
}

function filesystemResult(ctx: DoctorContext, walk: AccessWalk): CheckResult {
  const check = `${walk.role} filesystem`
  const mount = mountFor(realPath(nearestExisting(walk.target)), ctx.mounts())
  if (!mount) return warn(check, `no mount in /proc/self/mountinfo holds ${walk.target}`, '')
  const found = `${walk.target} is on ${mount.mountPoint} (${mount.fsType} from ${mount.source}, options ${mount.options.join(',')})`
  const flags = ['noexec', 'nosuid', 'nodev'].filter((o) => mount.options.includes(o))
  const relocate = relocationHint(ctx, walk.role as Role, 'on another filesystem')
  if (walk.role === 'run root') return ok(check, `${found}; it holds state only, so mount options do not matter`)
  if (NETWORK_FS.test(mount.fsType))
    return fail(check, `${found}: a network file system with user namespaces is not supported (files owned by subordinate ids, overlay upper dirs)`, relocate)
  if (STACKED_FS.test(mount.fsType))
    return warn(check, `${found}: native overlay cannot put its upper dir on ${mount.fsType} ("'overlay' is not supported over ${mount.fsType}")`, `${relocate}, or use fuse-overlayfs`)
  const harmful = flags.filter((f) => f !== 'nodev')
  if (harmful.length > 0) {
    const undo = harmful.map((f) => f.slice(2)).join(',')
    const command = `mount -o remount,${undo} ${shellQuote(mount.mountPoint)}`
    return warn(
      check,
      `${found}: ${harmful.join(' and ')}: programs in containers still run through the overlay mount, which has its own options, ` +
        `but anything bind-mounted from this filesystem (volumes, files under the graph root) inherits ${harmful.join(' and ')}`,
      `${asRoot(command)} (and drop ${harmful.join(', ')} from its /etc/fstab line), or ${relocate}`,
      {rootCommands: [command]},
    )
  }
  const nodev = flags.includes('nodev') ? '; nodev does not matter rootless (containers never get device nodes from here)' : ''
  return ok(check, `${found}${nodev}`)
}

export const storePathChecks: CheckGroup = {
  name: 'store-paths',
  summary: 'graph root and run root: every dir above them, owner and mode, filesystem and mount options',
  async run(ctx) {
    return ctx.storeWalks().flatMap((walk) => [...pathResults(ctx, walk), ownerResult(ctx, walk), filesystemResult(ctx, walk)])
  },
}
