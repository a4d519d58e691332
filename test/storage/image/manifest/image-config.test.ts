import test from 'ava'

import {imageHealthcheck, parseImageConfig} from '../../../../src/storage/image/manifest/image-config'
import {buildImage, sha256} from '../../../helpers/oci-image'

const base = {architecture: 'amd64', os: 'linux', rootfs: {type: 'layers', diff_ids: [sha256('layer')]}}
const parse = (doc: object) => parseImageConfig(Buffer.from(JSON.stringify(doc)))

test('a built config and a Docker one with nulls and extra fields', async (t) => {
  const image = await buildImage({
    layers: [[{path: 'a', content: 'a'}]],
    config: {Env: ['A=1'], Cmd: ['sh'], Entrypoint: ['/init'], WorkingDir: '/w', User: '1:1', Labels: {l: 'v'}, ExposedPorts: {'80/tcp': {}}, Volumes: {'/data': {}}, StopSignal: 'SIGTERM'},
  })
  const config = parseImageConfig(image.config)
  t.is(config.architecture, image.platform.architecture)
  t.is(config.os, 'linux')
  t.deepEqual(config.config, {Env: ['A=1'], Cmd: ['sh'], Entrypoint: ['/init'], WorkingDir: '/w', User: '1:1', Labels: {l: 'v'}, ExposedPorts: {'80/tcp': {}}, Volumes: {'/data': {}}, StopSignal: 'SIGTERM'})
  t.deepEqual(config.rootfs, {type: 'layers', diff_ids: image.layers.map((l) => l.diffID)})
  t.is(config.history.length, 1)
  t.is(config.created, '2024-01-01T00:00:00.000Z')

  const docker = parse({
    ...base,
    variant: 'v8',
    author: 'someone',
    created: '2023-05-01T12:34:56.123456789Z',
    docker_version: '24.0.0',
    container_config: {Cmd: ['ignored']},
    config: {Cmd: null, Entrypoint: null, Env: null, Labels: null, Volumes: null, OnBuild: null},
    history: [{created_by: '/bin/sh -c x', empty_layer: true}, {created: '2023-05-01T12:34:56Z', comment: 'c'}],
  })
  t.deepEqual(docker.config, {})
  t.is(docker.variant, 'v8')
  t.is(docker.author, 'someone')
  t.deepEqual(docker.history, [{created_by: '/bin/sh -c x', empty_layer: true}, {created: '2023-05-01T12:34:56Z', comment: 'c'}])
  t.deepEqual(parse({...base}).config, {})
})

test('invalid configs are refused naming the field', (t) => {
  t.throws(() => parseImageConfig(Buffer.from('nope')), {message: /^invalid image config: Unexpected token/})
  t.throws(() => parse({...base, architecture: undefined}), {message: 'invalid image config: "architecture" must be a string'})
  t.throws(() => parse({...base, os: ''}), {message: 'invalid image config: "os" must not be empty'})
  t.throws(() => parse({...base, rootfs: undefined}), {message: 'invalid image config: "rootfs" must be an object'})
  t.throws(() => parse({...base, rootfs: {type: 'other', diff_ids: []}}), {message: 'invalid image config: "rootfs.type" must be "layers", got "other"'})
  t.throws(() => parse({...base, rootfs: {type: 'layers', diff_ids: ['x']}}), {message: /^invalid image config: "rootfs.diff_ids\[0\]" must be a digest/})
  t.throws(() => parse({...base, config: {Env: 'A=1'}}), {message: 'invalid image config: "config.Env" must be an array'})
  t.throws(() => parse({...base, config: {Cmd: ['a', 1]}}), {message: 'invalid image config: "config.Cmd[1]" must be a string'})
  t.throws(() => parse({...base, config: {Labels: {a: 1}}}), {message: 'invalid image config: "config.Labels.a" must be a string'})
  t.throws(() => parse({...base, config: {ExposedPorts: {'80/tcp': 'yes'}}}), {message: 'invalid image config: "config.ExposedPorts.80/tcp" must be an object'})
  t.throws(() => parse({...base, history: [{empty_layer: 'yes'}]}), {message: 'invalid image config: "history[0].empty_layer" must be true or false'})
  t.throws(() => parse({...base, created: 'yesterday'}), {message: 'invalid image config: "created" must be an RFC 3339 time, got "yesterday"'})
})

test("imageHealthcheck: a Docker config's Healthcheck, its numbers kept; absent, malformed or not JSON: none", (t) => {
  const config = (healthcheck: unknown) => JSON.stringify({architecture: 'amd64', os: 'linux', config: {Healthcheck: healthcheck}})
  t.deepEqual(imageHealthcheck(config({Test: ['CMD-SHELL', 'true'], Interval: 5e9, Retries: 2, Bogus: 1})), {Test: ['CMD-SHELL', 'true'], Interval: 5e9, Retries: 2})
  t.deepEqual(imageHealthcheck(config({Test: ['NONE']})), {Test: ['NONE']})
  t.is(imageHealthcheck(config(undefined)), undefined)
  t.is(imageHealthcheck(config({Test: 'true'})), undefined)
  t.is(imageHealthcheck('{not json'), undefined)
})
