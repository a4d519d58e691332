// `ps --filter`, `start --filter`: Podman's keys, ORed within a key (label: ANDed) and ANDed
// across keys; its messages for bad ones.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import type {Container} from '../../../src/runtime/container/config'
import {groupFilters, parseContainerFilters} from '../../../src/runtime/container/filter'

interface Fields {
  id: string
  name: string
  imageName: string
  imageId: string
  labels?: Record<string, string>
  status: string
  exitCode?: number
  created: string
  restart?: string
  mounts?: {source: string; destination: string}[]
  volumes?: {name: string; destination: string}[]
}

// only the fields the filters read
const container = (f: Fields) =>
  ({
    config: {
      id: f.id,
      name: f.name,
      imageName: f.imageName,
      imageId: f.imageId,
      labels: f.labels,
      created: f.created,
      spec: {mounts: f.mounts ?? []},
      volumes: f.volumes ?? [],
      containerSpec: f.restart === undefined ? {} : {restart: {policy: f.restart, retries: 0}},
    },
    state: {status: f.status, exitCode: f.exitCode ?? 0},
  }) as unknown as Container

const web = container({
  id: 'abc123',
  name: 'web-1',
  imageName: 'docker.io/library/nginx:latest',
  imageId: 'f00d',
  labels: {tier: 'front', env: 'prod'},
  status: 'running',
  created: '2026-01-01T00:00:00Z',
  restart: 'always',
  mounts: [{source: '/srv/www', destination: '/usr/share/nginx'}],
})
const job = container({
  id: 'def456',
  name: 'job',
  imageName: 'localhost/batch:v2',
  imageId: 'beef',
  status: 'exited',
  exitCode: 3,
  created: '2026-01-02T00:00:00Z',
  volumes: [{name: 'data', destination: '/data'}],
})
const fresh = container({id: '789abc', name: 'fresh', imageName: 'localhost/batch:v2', imageId: 'beef', status: 'created', created: '2026-01-03T00:00:00Z', restart: 'no'})
const all = [web, job, fresh]
const lookup = (name: string) => all.find((c) => c.config.name === name)!
const names = (filters: string[]) => all.filter(parseContainerFilters(filters, lookup)).map((c) => c.config.name)

test('id and name are regexps; status (stopped is exited), exit code, ancestor, label', (t) => {
  t.deepEqual(names([]), ['web-1', 'job', 'fresh'])
  t.deepEqual(names(['id=abc']), ['web-1', 'fresh'], 'anywhere in the ID')
  t.deepEqual(names(['id=^abc']), ['web-1'])
  t.deepEqual(names(['name=^j']), ['job'])
  t.deepEqual(names(['name=-1$']), ['web-1'])
  t.deepEqual(names(['status=exited']), ['job'])
  t.deepEqual(names(['status=stopped']), ['job'])
  t.deepEqual(names(['status=created']), ['fresh'])
  t.deepEqual(names(['exited=3']), ['job'])
  t.deepEqual(names(['exited=0']), [], 'only exited containers have an exit code')
  t.deepEqual(names(['ancestor=docker.io/library/nginx']), ['web-1'], 'NAME stands for NAME:latest')
  t.deepEqual(names(['ancestor=localhost/batch']), [], 'but not for another tag')
  t.deepEqual(names(['ancestor=localhost/batch:v2']), ['job', 'fresh'])
  t.deepEqual(names(['ancestor=beef']), ['job', 'fresh'], 'the image ID')
  t.deepEqual(names(['label=tier']), ['web-1'])
  t.deepEqual(names(['label=tier=back']), [])
  t.deepEqual(names(['label=tier=front', 'label=env=prod']), ['web-1'], 'every label filter must match')
  t.deepEqual(names(['label=tier=front', 'label=env=dev']), [])
})

test('before, since, until, volume, restart-policy', (t) => {
  t.deepEqual(names(['before=fresh']), ['web-1', 'job'])
  t.deepEqual(names(['since=web-1']), ['job', 'fresh'])
  t.deepEqual(names(['since=web-1', 'since=job']), ['job', 'fresh'], 'the oldest of those named')
  t.deepEqual(names(['until=2026-01-02T12:00:00Z']), ['web-1', 'job'])
  t.deepEqual(names(['volume=/srv/www']), ['web-1'])
  t.deepEqual(names(['volume=/srv/www:/usr/share/nginx']), ['web-1'])
  t.deepEqual(names(['volume=/srv/www:/elsewhere']), [])
  t.deepEqual(names(['volume=data']), ['job'])
  t.deepEqual(names(['restart-policy=always']), ['web-1'])
  t.deepEqual(names(['restart-policy=none']), ['job'], 'none: no policy given')
  t.deepEqual(names(['restart-policy=no']), ['fresh'])
  t.deepEqual(names(['pod=p1']), [], 'no container is in a pod')
})

test('one key: any value; several keys: all', (t) => {
  t.deepEqual(names(['status=running', 'status=exited']), ['web-1', 'job'])
  t.deepEqual(names(['status=running', 'name=job']), [])
  t.deepEqual([...groupFilters(['a=1', 'b=2', 'a=3=4'])], [
    ['a', ['1', '3=4']],
    ['b', ['2']],
  ])
})

test("bad filters are usage errors in Podman's words", (t) => {
  t.throws(() => parseContainerFilters(['status']), {instanceOf: UsageError, message: 'invalid filter "status"'})
  t.throws(() => parseContainerFilters(['status=sleeping']), {instanceOf: UsageError, message: 'unknown container state: sleeping: invalid argument'})
  t.throws(() => parseContainerFilters(['exited=x']), {instanceOf: UsageError, message: 'exited code out of range "x"'})
  t.throws(() => parseContainerFilters(['colour=red']), {instanceOf: UsageError, message: 'colour is an invalid filter'})
  t.throws(() => parseContainerFilters(['restart-policy=fakepolicy']), {instanceOf: UsageError, message: 'fakepolicy invalid restart policy'})
  t.throws(() => parseContainerFilters(['restart-policy=a', 'restart-policy=b']), {instanceOf: UsageError, message: 'a, b invalid restart policies'})
  t.throws(() => parseContainerFilters(['before=nosuch']), {instanceOf: UsageError, message: 'no container with name or ID "nosuch" found: no such container'})
})

test('pod=: a pod by name or ID, as the lookup resolves it; one that names no pod matches nothing', (t) => {
  const inPod = {...container({id: 'c1', name: 'member', imageName: 'busybox', imageId: 'i', status: 'running', created: '2024-01-01T00:00:00Z'})} as Container
  ;(inPod.config as {containerSpec: object}).containerSpec = {pod: 'pod1'}
  const alone = container({id: 'c2', name: 'alone', imageName: 'busybox', imageId: 'i', status: 'running', created: '2024-01-01T00:00:00Z'})
  const podId = (name: string) => ({p: 'pod1', pod1: 'pod1'})[name]
  const pick = (filter: string) => [inPod, alone].filter(parseContainerFilters([filter], undefined, podId)).map((c) => c.config.name)
  t.deepEqual(pick('pod=p'), ['member'])
  t.deepEqual(pick('pod=pod1'), ['member'])
  t.deepEqual(pick('pod=nosuch'), [])
})

test('health=: the containers with a healthcheck whose status is one of the values; those without never match', (t) => {
  const health = (c: Container) => ({'web-1': 'healthy', job: 'unhealthy'})[c.config.name as 'web-1' | 'job']
  const healthy = (filters: string[]) => all.filter(parseContainerFilters(filters, lookup, () => undefined, health)).map((c) => c.config.name)
  t.deepEqual(healthy(['health=healthy']), ['web-1'])
  t.deepEqual(healthy(['health=healthy', 'health=unhealthy']), ['web-1', 'job'])
  t.deepEqual(healthy(['health=starting']), [])
  t.deepEqual(names(['health=healthy']), [], 'no health lookup: no container has a status')
})

test('label: a key with * is a pattern that matches anywhere in the key, as containers/common matches it', (t) => {
  t.deepEqual(names(['label=ti*']), ['web-1'])
  t.deepEqual(names(['label=*er=front']), ['web-1'])
  t.deepEqual(names(['label=*er=back']), [])
  t.deepEqual(names(['label=tier', 'label=env=prod']), ['web-1'])
  t.deepEqual(names(['label=tier', 'label=env=test']), [])
})

test('network=: a network by name or ID, any of the values; container:NAME for a container on its network', (t) => {
  const onNet = (id: string, name: string, networks: string[]) =>
    ({config: {id, name, containerSpec: {network: {kind: 'bridge', networks: Object.fromEntries(networks.map((n) => [n, {}]))}}}, state: {status: 'running'}}) as unknown as Container
  const a = onNet('aaa', 'a', ['podman'])
  const b = onNet('bbb', 'b', ['mynet', 'other'])
  const joined = {config: {id: 'ccc', name: 'c', containerSpec: {network: {kind: 'container', container: 'bbb'}}}, state: {status: 'running'}} as unknown as Container
  const host = {config: {id: 'ddd', name: 'd', containerSpec: {network: {kind: 'host'}}}, state: {status: 'running'}} as unknown as Container
  const ctrs = [a, b, joined, host]
  const networkName = (v: string) => ({podman: 'podman', mynet: 'mynet', '2f259bab': 'podman'})[v]
  const byName = (n: string) => {
    const found = ctrs.find((c) => c.config.name === n || c.config.id === n)
    if (!found) throw new UsageError('no such container')
    return found
  }
  const pick = (...filters: string[]) => ctrs.filter(parseContainerFilters(filters, byName, undefined, undefined, networkName)).map((c) => c.config.name)
  t.deepEqual(pick('network=mynet'), ['b'])
  t.deepEqual(pick('network=2f259bab'), ['a'])
  t.deepEqual(pick('network=mynet', 'network=podman'), ['a', 'b'])
  t.deepEqual(pick('network=nosuch'), [])
  t.deepEqual(pick('network=container:b'), ['c'])
  t.deepEqual(pick('network=container:nosuch'), [])
})
