// The image errors a front end tells apart by their class.
import test from 'ava'

import {ImageInUseError, ImageUnknownError} from '../../../../src/storage/store/images/errors'

test('an unknown image is NoSuchObject, one in use is InUse', (t) => {
  t.is(new ImageUnknownError('x: image not known').errorClass, 'NoSuchObject')
  t.is(new ImageInUseError('image used by 1 container').errorClass, 'InUse')
})
