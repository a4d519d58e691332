// The container errors a front end tells apart by their class.
import test from 'ava'

import {ContainerRunningError, NoSuchContainerError} from '../../../src/runtime/container/errors'

test('a missing container is NoSuchObject; a running one that rm refuses is InUse, in Podman\'s words', (t) => {
  t.is(new NoSuchContainerError('no container with name or ID "x" found: no such container').errorClass, 'NoSuchObject')
  const running = new ContainerRunningError('abc')
  t.is(running.errorClass, 'InUse')
  t.is(running.message, 'cannot remove container abc as it is running - running or paused containers cannot be removed without force: container state improper')
})
