// Which containers `attach` takes: those with a running process (paused ones too), in Podman's
// words for the rest; and what a running one without a monitor socket gives.
import test from 'ava'

import {connectToRunning, refuseUnlessRunning} from '../../../src/runtime/container/attach-monitored'
import type {Container, ContainerStatus} from '../../../src/runtime/container/config'
import {containerConfig, tempRecords} from '../../helpers/container-records'

function inState(status: ContainerStatus): Container {
  return {config: containerConfig('c'), state: {status, pid: status === 'created' || status === 'exited' ? 0 : 1234, exitCode: 0}}
}

test('created, exited and initialized containers are refused as Podman refuses them; running and paused ones are taken', (t) => {
  for (const status of ['created', 'exited', 'initialized'] as const)
    t.throws(() => refuseUnlessRunning(inState(status)), {message: 'you can only attach to running containers'}, status)
  for (const status of ['running', 'paused'] as const) t.notThrows(() => refuseUnlessRunning(inState(status)), status)
})

test('a running container whose monitor socket is gone: a one-line error', async (t) => {
  const {store} = await tempRecords(t)
  const c = inState('running')
  await t.throwsAsync(connectToRunning(store, c), {message: `no attach socket for container ${c.config.id}: its monitor is gone`})
})
