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
