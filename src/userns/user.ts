// Who is running tspod: the host identity that rootless mode maps into user namespaces.
import * as os from 'node:os'

export interface HostUser {
  name: string
  uid: number
  gid: number
  home: string
  /** every group the process holds, primary first */
  groups: number[]
}

export function currentUser(): HostUser {
  const info = os.userInfo()
  const gid = process.getgid!()
  const groups = [gid, ...process.getgroups!().filter((g) => g !== gid)]
  return {name: info.username, uid: info.uid, gid, home: info.homedir, groups}
}

export function isRootless(user: HostUser = currentUser()): boolean {
  return user.uid !== 0
}

/**
 * Inside `tspod unshare` (or `podman unshare`): the rootless user's uid, as root of its user
 * namespace. The commands run there use that user's store, as Podman does; undefined elsewhere.
 */
export function unshareSessionUid(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (env._CONTAINERS_USERNS_CONFIGURED !== 'done' || process.getuid!() !== 0) return undefined
  const uid = Number(env._CONTAINERS_ROOTLESS_UID)
  return Number.isInteger(uid) && uid > 0 ? uid : undefined
}

/** The uid whose store and run root tspod uses: the rootless user's, inside `unshare` too. */
export function storeOwnerUid(env: NodeJS.ProcessEnv = process.env): number {
  return unshareSessionUid(env) ?? process.getuid!()
}
