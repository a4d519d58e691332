// src/engine/errors.ts: the errors a front end tells apart, each the class its library throws,
// each of the class (missing, in use) that gives `rm`, `rmi` and `volume rm` their exit codes.
import test from 'ava'

import {BuildStepError} from '../../src/build/step-error'
import * as errors from '../../src/engine/errors'
import {TspodError, UsageError} from '../../src/errors'
import {NoSuchContainerError} from '../../src/runtime/container/records'
import {ContainerRunningError} from '../../src/runtime/container/remove'
import {NoSuchVolumeError, VolumeInUseError} from '../../src/runtime/volume/errors'
import {ImageUnknownError} from '../../src/storage/store/images/lookup'
import {ImageInUseError} from '../../src/storage/store/images/remove'
import {removalExitCode, volumeRemovalExitCode} from '../../src/cli/exit-codes'

test('each is the class its library throws', (t) => {
  t.deepEqual(
    {...errors},
    {TspodError, UsageError, NoSuchContainerError, ContainerRunningError, ImageUnknownError, ImageInUseError, NoSuchVolumeError, VolumeInUseError, BuildStepError},
  )
})

test('missing ones and in-use ones are of their class: rm and rmi exit 1 and 2 for them', (t) => {
  const missing = [new errors.NoSuchContainerError('no container with name or ID "x" found: no such container'), new errors.ImageUnknownError('x: image not known')]
  const inUse = [new errors.ContainerRunningError('abc'), new errors.ImageInUseError('image used by abc: image is in use by a container')]
  for (const err of [...missing, ...inUse]) t.true(err instanceof errors.TspodError)
  t.is(removalExitCode(missing), 1)
  t.is(removalExitCode([...missing, inUse[0]]), 2)
  t.is(removalExitCode([inUse[1]]), 2)
  t.is(removalExitCode([new errors.UsageError('bad')]), 125)
  t.is(volumeRemovalExitCode([new errors.NoSuchVolumeError('no volume with name "v" found: no such volume')]), 1)
  t.is(volumeRemovalExitCode([new errors.VolumeInUseError('v', ['abc'])]), 2)
})
