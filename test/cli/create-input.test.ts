// createInputOf: create/run flags and arguments to the Engine's CreateInput. The spec is parsed
// (and a bad flag refused) here, before any store is opened; the pull flags only when a pull
// asks for them.
import test from 'ava'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../src/errors'
import {attachedStreams, createInputOf} from '../../src/cli/create-input'

const signal = new AbortController().signal

test('no image: a usage error in Podman\'s words for a missing argument', (t) => {
  t.throws(() => createInputOf({}, [], signal), {instanceOf: UsageError, message: 'requires at least 1 arg(s), only received 0'})
})

test('the image, the command after it, --pull and --cidfile; the spec parsed from the flags', (t) => {
  const input = createInputOf({name: 'web', env: ['A=1'], rm: true, pull: 'never', cidfile: '/tmp/cid'}, ['busybox', 'sh', '-c', 'echo hi'], signal)
  t.is(input.image, 'busybox')
  t.is(input.pullPolicy, 'never')
  t.is(input.cidFile, '/tmp/cid')
  t.is(input.spec.name, 'web')
  t.true(input.spec.autoRemove)
  t.deepEqual(input.spec.command, ['sh', '-c', 'echo hi'])
  t.deepEqual(createInputOf({}, ['busybox'], signal).spec.command, undefined)
})

test('a bad flag fails here, synchronously: no Engine or store is needed to refuse it', (t) => {
  t.throws(() => createInputOf({'add-host': ['foo']}, ['busybox'], signal), {instanceOf: UsageError, message: 'bad format for add-host: "foo"'})
  t.throws(() => createInputOf({network: 'none', 'network-alias': ['web']}, ['busybox'], signal), {instanceOf: UsageError, message: /can only be used with Bridge mode networking$/})
  t.throws(() => createInputOf({'env-file': [path.join(os.tmpdir(), 'tspod-no-such-dir', 'env')]}, ['busybox'], signal), {instanceOf: UsageError})
})

test('the pull context is made only when asked, so that --creds is checked only for a pull', (t) => {
  const input = createInputOf({creds: 'nocolon'} as never, ['busybox'], signal)
  t.throws(() => input.pullContext(), {instanceOf: UsageError, message: 'credentials must be in the form USERNAME:PASSWORD'})
  const ctx = createInputOf({creds: 'me:secret', 'tls-verify': false} as never, ['busybox'], signal).pullContext()
  t.deepEqual(ctx.credentials, {username: 'me', password: 'secret'})
  t.is(ctx.tlsVerify, false)
  t.is(ctx.signal, signal)
})

test('--userns given more than once: the last one wins, as Podman\'s string flag', (t) => {
  t.deepEqual(createInputOf({userns: ['private', 'keep-id']}, ['busybox'], signal).spec.userns, {kind: 'keep-id'})
})

test('--attach: the output streams shown; stdin alone shows neither; a bad stream is a usage error', (t) => {
  t.is(attachedStreams(undefined), undefined)
  t.deepEqual(attachedStreams(['stdin']), {stdout: false, stderr: false})
  t.deepEqual(attachedStreams(['STDOUT', 'stderr']), {stdout: true, stderr: true})
  t.throws(() => attachedStreams(['stdfoo']), {instanceOf: UsageError, message: 'invalid stream "stdfoo" for --attach - must be one of stdin, stdout, or stderr: invalid argument'})
})
