// A service container's name and its ties to pods, in a real-root temporary store (no
// container runs: starting and stopping it are covered by test/commands/kube.test.ts).
import test from 'ava'
import * as crypto from 'node:crypto'

import {CREATED_STATE, ContainerConfig} from '../../../src/runtime/container/config'
import {PodConfig, PodRecords} from '../../../src/runtime/pod/records'
import {checkNotServiceOfPods, podsOfService, serviceContainerName, stopServiceIfDone} from '../../../src/runtime/pod/service-container'
import {parseContainerSpec} from '../../../src/specgen/parse'
import {containerConfig, tempRecords} from '../../helpers/container-records'

function config(name: string, isService: boolean): ContainerConfig {
  return containerConfig(name, {containerSpec: {...parseContainerSpec({network: 'none'}), isService}})
}

const pod = (name: string, serviceContainerId?: string): PodConfig => ({id: crypto.randomBytes(32).toString('hex'), name, created: new Date().toISOString(), labels: {}, share: [], publish: [], serviceContainerId})

test('the name is the first 12 hex digits of the YAML\'s sha256 and "-service", as Podman\'s', (t) => {
  // printf 'kind: Pod\n' | sha256sum
  t.is(serviceContainerName('kind: Pod\n'), `${crypto.createHash('sha256').update('kind: Pod\n').digest('hex').slice(0, 12)}-service`)
  t.regex(serviceContainerName(Buffer.from('x')), /^[0-9a-f]{12}-service$/)
})

test('a service container cannot be removed while a pod of it exists; other containers are not concerned', async (t) => {
  const {store, records} = await tempRecords(t, 'tspod-service-')
  const service = records.add(config('s-service', true))
  const plain = records.add(config('plain', false))
  const pods = new PodRecords(store)
  const tied = pod('tied', service.config.id)
  pods.add(tied)
  pods.add(pod('other'))
  t.deepEqual(podsOfService(pods, service.config.id).map((p) => p.name), ['tied'])
  t.is(t.throws(() => checkNotServiceOfPods(records, service))?.message, `container ${service.config.id} is the service container of pod(s) ${tied.id} and cannot be removed without removing the pod(s)`)
  t.notThrows(() => checkNotServiceOfPods(records, plain))
  pods.delete(tied.id)
  t.notThrows(() => checkNotServiceOfPods(records, service))
})

test('stopping a service container that is not running, or none, does nothing', async (t) => {
  const {records} = await tempRecords(t, 'tspod-service-')
  const service = records.add(config('s-service', true))
  await stopServiceIfDone(records, service.config.id)
  await stopServiceIfDone(records, undefined)
  t.deepEqual(records.get(service.config.id)?.state, CREATED_STATE)
})
