// A pod's status from its containers' (libpod's createPodStatusResults), and --latest.
import test from 'ava'

import {Container, ContainerStatus} from '../../../src/runtime/container/config'
import {PodConfig, PodRecords, podStatus} from '../../../src/runtime/pod/records'
import {containerConfig, tempRecords} from '../../helpers/container-records'

const withStatus = (...statuses: ContainerStatus[]): Container[] =>
  statuses.map((status, i) => ({config: containerConfig(`c${i}`), state: {status, pid: 0, exitCode: 0}}))

test('podStatus: Created, Running, Degraded, Paused, Exited and Stopped as Podman computes them', (t) => {
  t.is(podStatus([]), 'Created')
  t.is(podStatus(withStatus('created', 'created')), 'Created')
  t.is(podStatus(withStatus('running', 'stopping')), 'Running')
  t.is(podStatus(withStatus('running', 'paused')), 'Degraded')
  t.is(podStatus(withStatus('running', 'exited')), 'Degraded')
  t.is(podStatus(withStatus('paused', 'paused')), 'Paused', 'all paused')
  t.is(podStatus(withStatus('exited', 'exited')), 'Exited')
  t.is(podStatus(withStatus('exited', 'paused')), 'Stopped', 'some exited, none running')
  t.is(podStatus(withStatus('exited', 'created')), 'Stopped')
  t.is(podStatus(withStatus('paused', 'created')), 'Created')
})

test('latest: the pod created last; none is Podman\'s no such pod', async (t) => {
  const {store} = await tempRecords(t)
  const pods = new PodRecords(store)
  t.throws(() => pods.latest(), {message: 'no such pod'})
  const pod = (name: string, created: string): PodConfig => ({id: name.repeat(64), name, created, labels: {}, share: [], publish: []})
  pods.add(pod('a', '2026-01-01T00:00:00Z'))
  pods.add(pod('b', '2026-01-02T00:00:00Z'))
  t.is(pods.latest().name, 'b')
})
