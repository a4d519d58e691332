// Who runs tspod: inside `unshare` (root of the user's namespace, Podman's variables set) the
// store is the rootless user's.
import test from 'ava'

import {currentUser, isRootless, storeOwnerUid, unshareSessionUid} from '../../src/userns/user'

const root = process.getuid!() === 0

test('the current user and whether it is rootless', (t) => {
  const user = currentUser()
  t.is(user.uid, process.getuid!())
  t.is(user.groups[0], process.getgid!())
  t.is(isRootless(user), user.uid !== 0)
})

test('as uid 0 with the unshare variables, the store is the rootless uid\'s', (t) => {
  if (!root) return t.pass('needs uid 0')
  t.is(unshareSessionUid({_CONTAINERS_USERNS_CONFIGURED: 'done', _CONTAINERS_ROOTLESS_UID: '1234'}), 1234)
  t.is(storeOwnerUid({_CONTAINERS_USERNS_CONFIGURED: 'done', _CONTAINERS_ROOTLESS_UID: '1234'}), 1234)
  t.is(unshareSessionUid({_CONTAINERS_ROOTLESS_UID: '1234'}), undefined, 'not configured by unshare')
  t.is(unshareSessionUid({_CONTAINERS_USERNS_CONFIGURED: 'done', _CONTAINERS_ROOTLESS_UID: 'x'}), undefined)
  t.is(unshareSessionUid({_CONTAINERS_USERNS_CONFIGURED: 'done', _CONTAINERS_ROOTLESS_UID: '0'}), undefined)
  t.is(storeOwnerUid({}), 0)
})
