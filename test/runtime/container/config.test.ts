// The container state's one predicate: which states have processes (a paused one does).
import test from 'ava'

import {CREATED_STATE, ContainerStatus, hasProcesses} from '../../../src/runtime/container/config'

test('hasProcesses: running, stopping and paused; not created or exited', (t) => {
  const has = (status: ContainerStatus) => hasProcesses({...CREATED_STATE, status})
  t.true(has('running'))
  t.true(has('stopping'))
  t.true(has('paused'))
  t.false(has('created'))
  t.false(has('exited'))
})
