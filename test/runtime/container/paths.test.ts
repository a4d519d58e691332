// Where a container's files live, and the monitor's pid file: --conmon-pidfile's, else userdata's.
import test from 'ava'

import type {ContainerConfig} from '../../../src/runtime/container/config'
import {bundleDir, containerDirs, monitorPidFileOf} from '../../../src/runtime/container/paths'
import type {Store} from '../../../src/storage/store/store'

const store = {
  config: {runRoot: '/run/r'},
  layout: {
    containerDir: (id: string) => `/g/containers/${id}`,
    driver: {containerDirs: (dir: string) => ({upper: `${dir}/diff`, work: `${dir}/work`, merged: `${dir}/merged`})},
  },
} as unknown as Store

test('a container\'s dirs under the graph root, its bundle under the run root', (t) => {
  t.like(containerDirs(store, 'abc'), {dir: '/g/containers/abc', userdata: '/g/containers/abc/userdata', logFile: '/g/containers/abc/userdata/ctr.log', merged: '/g/containers/abc/merged'})
  t.is(bundleDir(store, 'abc'), '/run/r/containers/abc')
})

test('the monitor\'s pid file: --conmon-pidfile when given, else conmon.pid in userdata, as Podman always keeps one', (t) => {
  t.is(monitorPidFileOf(store, {id: 'abc'} as ContainerConfig), '/g/containers/abc/userdata/conmon.pid')
  t.is(monitorPidFileOf(store, {id: 'abc', monitorPidFile: '/tmp/m.pid'} as ContainerConfig), '/tmp/m.pid')
})
