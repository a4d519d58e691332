// The pre-manifest.json part of `docker save` archives: per-layer ids and json, and `repositories`.
import test from 'ava'
import {createHash} from 'node:crypto'

import {parseNormalizedName} from '../../../../../src/storage/image/reference/docker-reference'
import {legacyLayers, repositoriesFile} from '../../../../../src/storage/image/transports/docker-archive/legacy-layers'

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`
const hex = (text: string) => createHash('sha256').update(text).digest('hex')

test('each layer\'s id hashes its json with the chain id; parents link them; the top one carries the config\'s fields', (t) => {
  const [a, b] = [sha('a'), sha('b')]
  const config = Buffer.from(JSON.stringify({architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z', config: {Cmd: ['sh']}, rootfs: {}}))
  const layers = legacyLayers([a, b], config)
  t.is(layers.length, 2)
  t.is(layers[0].id, hex(JSON.stringify({layer_id: a})))
  t.deepEqual(JSON.parse(layers[0].json.toString()), {id: layers[0].id})
  const top = JSON.parse(layers[1].json.toString())
  t.deepEqual(Object.keys(top), ['architecture', 'config', 'container', 'container_config', 'created', 'docker_version', 'id', 'os', 'parent'], 'keys sorted as Go marshals a map')
  t.like(top, {parent: layers[0].id, architecture: 'amd64', os: 'linux', container: null, config: {Cmd: ['sh']}, id: layers[1].id})
  const {id, ...withoutId} = top
  const hashed: Record<string, unknown> = {...withoutId, layer_id: sha(`${a} ${b}`)}
  t.is(id, hex(JSON.stringify(Object.fromEntries(Object.keys(hashed).sort().map((k) => [k, hashed[k]])))))
})

test('equal stacks get equal ids; an unreadable config leaves the top fields null', (t) => {
  const diffIds = [sha('x')]
  t.deepEqual(legacyLayers(diffIds, Buffer.from('{}')), legacyLayers(diffIds, Buffer.from('not json')))
  t.is(JSON.parse(legacyLayers(diffIds, Buffer.from('not json'))[0].json.toString()).os, null)
  t.deepEqual(legacyLayers([], Buffer.from('{}')), [])
})

test('repositories maps each repository and tag to the top layer', (t) => {
  const tags = ['busybox', 'busybox:1.36', 'quay.io/x/y:v1'].map((n) => parseNormalizedName(n).withDefaultTag())
  t.deepEqual(JSON.parse(repositoriesFile(tags, 'top').toString()), {
    'docker.io/library/busybox': {latest: 'top', '1.36': 'top'},
    'quay.io/x/y': {v1: 'top'},
  })
  t.is(repositoriesFile(tags, undefined).toString(), '{}')
})
