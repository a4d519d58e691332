// @userns
// Socket activation: LISTEN_FDS=N in the starting CLI's environment passes fds 3 .. 3+N-1 into a
// foreground container with LISTEN_PID=1, LISTEN_FDS and LISTEN_FDNAMES, as the rootless user.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {ContainerStartError} from '../../../src/errors'
import type {Container} from '../../../src/runtime/container/config'
import {PRESERVE_FDS_WIN_WARNING, socketActivation} from '../../../src/runtime/container/socket-activation'
import {sandboxWithImages} from '../../helpers/image-sandbox'
import {tspod, tspodOk as ok} from '../../helpers/rootless'

const container = {config: {spec: {process: {env: ['PATH=/bin', 'LISTEN_PID=7'], args: ['sh'], cwd: '/'}}}} as unknown as Container
const envOf = (c: Container) => c.config.spec.process!.env

test('without LISTEN_FDS nothing changes; with it the container\'s LISTEN_* replace any it had', (t) => {
  t.is(socketActivation(container, 0, {LISTEN_PID: '5'}), undefined)
  const activated = socketActivation(container, 0, {LISTEN_FDS: '0', LISTEN_PID: '5', LISTEN_FDNAMES: 'web'})!
  t.deepEqual(envOf(activated.container), ['PATH=/bin', 'LISTEN_PID=1', 'LISTEN_FDS=0', 'LISTEN_FDNAMES=web'])
  t.is(activated.preserveFds, 0)
  t.deepEqual(activated.warnings, [])
})

test('--preserve-fds wins over LISTEN_FDS, with Podman\'s warning; a LISTEN_FDS that is no number fails the start', (t) => {
  const activated = socketActivation(container, 2, {LISTEN_FDS: '1'})!
  t.is(activated.preserveFds, 2)
  t.deepEqual(activated.warnings, [PRESERVE_FDS_WIN_WARNING])
  t.deepEqual(envOf(activated.container), ['PATH=/bin', 'LISTEN_PID=1', 'LISTEN_FDS=1'])
  const err = t.throws(() => socketActivation(container, 0, {LISTEN_FDS: 'x'}), {instanceOf: ContainerStartError})
  t.is(err?.message, 'converting LISTEN_FDS=x: parsing "x": invalid syntax')
})

test('run and start --attach pass the activated fds and LISTEN_* into the container', async (t) => {
  const box = await sandboxWithImages(t)
  const file = path.join(box.dir, 'socket-stand-in')
  fs.writeFileSync(file, 'from fd 3\n', {mode: 0o644})
  // each start reads its own open file: the offset is shared with the container
  const fds = [fs.openSync(file, 'r'), fs.openSync(file, 'r'), fs.openSync(file, 'r')]
  t.teardown(() => fds.forEach((fd) => fs.closeSync(fd)))
  const env = {LISTEN_PID: '100', LISTEN_FDS: '1', LISTEN_FDNAMES: 'web'}
  const script = 'env | grep ^LISTEN_ | sort; cat <&3'
  const expected = 'LISTEN_FDNAMES=web\nLISTEN_FDS=1\nLISTEN_PID=1\nfrom fd 3\n'
  t.is(await ok(box, ['run', '--rm', 'busybox', 'sh', '-c', script], {env, extraFds: [fds[0]]}), expected)
  const id = (await ok(box, ['create', 'busybox', 'sh', '-c', script])).trim()
  t.is(await ok(box, ['start', '--attach', id], {env, extraFds: [fds[1]]}), expected)
  // without the variables nothing is passed: no LISTEN_*, no fd 3
  const plain = await tspod(box, ['start', '--attach', id], {extraFds: [fds[2]]})
  t.deepEqual([plain.code, plain.stdout], [1, ''])
  t.regex(plain.stderr, /3: Bad file descriptor/)

  const missing = await tspod(box, ['run', '--rm', 'busybox', 'true'], {env: {LISTEN_FDS: '2'}, extraFds: [fds[2]]})
  t.deepEqual([missing.code, missing.stderr], [125, 'Error: file descriptor 4 is not available - the preserve-fds option requires that all file descriptors must be passed\n'])
})
