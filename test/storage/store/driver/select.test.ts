import test from 'ava'

import {driverNamed} from '../../../../src/storage/store/driver/select'

test('overlay and vfs by name; any other driver is refused as containers-storage does', (t) => {
  t.is(driverNamed('overlay', '/g').name, 'overlay')
  t.false(driverNamed('overlay', '/g').fullCopies)
  t.is(driverNamed('vfs', '/g').name, 'vfs')
  t.throws(() => driverNamed('btrfs', '/g'), {message: 'failed to GetDriver graph btrfs /g: driver not supported'})
})
