import test from 'ava'

import {KubeEngine} from '../../src/engine/kube'
import type {ContainerRecords} from '../../src/runtime/container/records'
import type {RegistriesConfig} from '../../src/storage/image/config/registries-conf'
import type {Store} from '../../src/storage/store/store'

test('generate refuses a type other than pod or deployment before reading anything', async (t) => {
  const kube = new KubeEngine({} as Store, {} as ContainerRecords, {} as RegistriesConfig, {pods: () => Promise.reject(new Error('unused')), create: () => Promise.reject(new Error('unused'))})
  await t.throwsAsync(kube.generate(['x'], {service: false, type: 'job'}, () => undefined), {message: 'invalid generation type - only pods and deployments are currently supported: job'})
})
