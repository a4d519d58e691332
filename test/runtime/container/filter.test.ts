// `ps --filter`: the keys tspod answers, ORed within a key and ANDed across keys, as Podman.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import type {Container} from '../../../src/runtime/container/config'
import {parseContainerFilters} from '../../../src/runtime/container/filter'

interface Fields {
  id: string
  name: string
  imageName: string
  imageId: string
  labels?: Record<string, string>
  status: string
  exitCode?: number
}

// only the fields the filters read
const container = (f: Fields) => ({config: {id: f.id, name: f.name, imageName: f.imageName, imageId: f.imageId, labels: f.labels}, state: {status: f.status, exitCode: f.exitCode}}) as unknown as Container

const web = container({id: 'abc123', name: 'web-1', imageName: 'docker.io/library/nginx:latest', imageId: 'f00d', labels: {tier: 'front'}, status: 'running'})
const job = container({id: 'def456', name: 'job', imageName: 'localhost/batch:v2', imageId: 'beef', status: 'exited', exitCode: 3})
const all = [web, job]
const names = (filters: string[]) => all.filter(parseContainerFilters(filters)).map((c) => c.config.name)

test('id prefix, name regexp, status, exit code, ancestor, label', (t) => {
  t.deepEqual(names([]), ['web-1', 'job'])
  t.deepEqual(names(['id=abc']), ['web-1'])
  t.deepEqual(names(['name=^j']), ['job'])
  t.deepEqual(names(['name=-1$']), ['web-1'])
  t.deepEqual(names(['status=exited']), ['job'])
  t.deepEqual(names(['exited=3']), ['job'])
  t.deepEqual(names(['exited=0']), [])
  t.deepEqual(names(['ancestor=docker.io/library/nginx']), ['web-1'], 'the name without its tag')
  t.deepEqual(names(['ancestor=localhost/batch:v2']), ['job'])
  t.deepEqual(names(['ancestor=bee']), ['job'], 'an image id prefix')
  t.deepEqual(names(['label=tier']), ['web-1'])
  t.deepEqual(names(['label=tier=back']), [])
})

test('one key: any value; several keys: all', (t) => {
  t.deepEqual(names(['status=running', 'status=exited']), ['web-1', 'job'])
  t.deepEqual(names(['status=running', 'name=job']), [])
})

test('bad filters are usage errors in Podman\'s words', (t) => {
  t.throws(() => parseContainerFilters(['status']), {instanceOf: UsageError, message: 'invalid filter "status", should be of form key=value'})
  t.throws(() => parseContainerFilters(['status=sleeping']), {instanceOf: UsageError, message: 'sleeping is not a valid status'})
  t.throws(() => parseContainerFilters(['exited=x']), {instanceOf: UsageError, message: 'exited code out of range "x"'})
  t.throws(() => parseContainerFilters(['colour=red']), {instanceOf: UsageError, message: 'colour is an invalid filter'})
})
