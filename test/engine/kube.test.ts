import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {KubeEngine, kubeBuildFile} from '../../src/engine/kube'
import type {ContainerRecords} from '../../src/runtime/container/records'
import type {RegistriesConfig} from '../../src/storage/image/config/registries-conf'
import type {Store} from '../../src/storage/store/store'

test('generate refuses a type other than pod or deployment before reading anything', async (t) => {
  const kube = new KubeEngine({} as Store, {} as ContainerRecords, {} as RegistriesConfig, {pods: () => Promise.reject(new Error('unused')), create: () => Promise.reject(new Error('unused')), build: () => Promise.reject(new Error('unused'))})
  await t.throwsAsync(kube.generate(['x'], {service: false, type: 'job'}, () => undefined), {message: 'invalid generation type - only pods and deployments are currently supported: job'})
})

test('play refuses --context-dir without --build before reading anything', async (t) => {
  const kube = new KubeEngine({} as Store, {} as ContainerRecords, {} as RegistriesConfig, {pods: () => Promise.reject(new Error('unused')), create: () => Promise.reject(new Error('unused')), build: () => Promise.reject(new Error('unused'))})
  const options = {start: true, replace: false, networks: [], publish: [], configMapFiles: [], logOptions: [], noHosts: false, annotations: [], contextDir: '/tmp'}
  await t.throwsAsync(kube.play('', options, {pullContext: () => ({}) as never, events: {}}), {message: '--build must be specified when using --context-dir option'})
})

test('kubeBuildFile: DIR/NAME/Containerfile, else Dockerfile, NAME the image\'s last path part without tag or digest', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-kube-build-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.mkdirSync(path.join(dir, 'app'))
  fs.writeFileSync(path.join(dir, 'app', 'Dockerfile'), 'FROM scratch\n')
  t.is(kubeBuildFile('quay.io/org/app:1.0', dir), path.join(dir, 'app', 'Dockerfile'))
  fs.writeFileSync(path.join(dir, 'app', 'Containerfile'), 'FROM scratch\n')
  t.is(kubeBuildFile('app@sha256:0123', dir), path.join(dir, 'app', 'Containerfile'))
  t.is(kubeBuildFile('quay.io/org/other', dir), undefined)
})
