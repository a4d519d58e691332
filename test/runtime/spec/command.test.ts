// Entrypoint, command and working directory, as Podman combines them.
import test from 'ava'

import {TspodError, UsageError} from '../../../src/errors'
import {parseEntrypoint, resolveCommand} from '../../../src/runtime/spec/command'

const busybox = {Cmd: ['/bin/sh']}
const server = {Entrypoint: ['/usr/bin/server', '--config', '/etc/server.conf'], Cmd: ['--verbose'], WorkingDir: '/srv'}

test('--entrypoint: a JSON array of strings, else one word', (t) => {
  t.deepEqual(parseEntrypoint('["/bin/sh", "-c"]'), ['/bin/sh', '-c'])
  t.deepEqual(parseEntrypoint('/bin/sh -c'), ['/bin/sh -c'])
  t.deepEqual(parseEntrypoint(''), [''])
  t.deepEqual(parseEntrypoint('[1, 2]'), ['[1, 2]'])
  t.deepEqual(parseEntrypoint('"quoted"'), ['"quoted"'])
  t.deepEqual(parseEntrypoint('[]'), [])
})

test('image Cmd alone; arguments replace it', (t) => {
  t.deepEqual(resolveCommand({image: busybox}), {args: ['/bin/sh'], cwd: '/', createWorkingDir: true})
  t.deepEqual(resolveCommand({image: busybox, args: ['echo', 'hi']}).args, ['echo', 'hi'])
})

test('image Entrypoint plus Cmd; arguments replace only the Cmd', (t) => {
  t.deepEqual(resolveCommand({image: server}).args, ['/usr/bin/server', '--config', '/etc/server.conf', '--verbose'])
  t.deepEqual(resolveCommand({image: server, args: ['--quiet']}).args, ['/usr/bin/server', '--config', '/etc/server.conf', '--quiet'])
})

test('--entrypoint replaces the image Entrypoint and drops the image Cmd', (t) => {
  t.deepEqual(resolveCommand({image: server, entrypoint: '/bin/sh'}).args, ['/bin/sh'])
  t.deepEqual(resolveCommand({image: server, entrypoint: '["/bin/sh","-c"]', args: ['echo hi']}).args, ['/bin/sh', '-c', 'echo hi'])
  t.deepEqual(resolveCommand({image: server, entrypoint: ['/bin/env'], args: ['A=1']}).args, ['/bin/env', 'A=1'])
})

test('--entrypoint "" leaves no entrypoint: the arguments alone run', (t) => {
  t.deepEqual(resolveCommand({image: server, entrypoint: '', args: ['/bin/true']}).args, ['/bin/true'])
  // Podman quirk kept: an empty JSON array clears the entrypoint but keeps the image Cmd
  t.deepEqual(resolveCommand({image: server, entrypoint: '[]'}).args, ['--verbose'])
})

test('nothing to run is an error', (t) => {
  const message = 'no command or entrypoint provided, and no CMD or ENTRYPOINT from image'
  t.throws(() => resolveCommand({image: {}}), {instanceOf: TspodError, message})
  t.throws(() => resolveCommand({image: server, entrypoint: ''}), {message})
  t.throws(() => resolveCommand({image: {Cmd: []}, args: []}), {message})
})

test('working dir: -w, else the image WorkingDir (created when missing), else /', (t) => {
  t.like(resolveCommand({image: server}), {cwd: '/srv', createWorkingDir: true})
  t.like(resolveCommand({image: server, workdir: '/tmp/x/'}), {cwd: '/tmp/x/', createWorkingDir: false})
  t.like(resolveCommand({image: server, workdir: '/a/../b'}), {cwd: '/b', createWorkingDir: false})
  t.like(resolveCommand({image: {...server, WorkingDir: 'app'}}), {cwd: '/app'})
  t.like(resolveCommand({image: busybox}), {cwd: '/', createWorkingDir: true})
  t.throws(() => resolveCommand({image: busybox, workdir: 'relative'}), {
    instanceOf: UsageError,
    message: "the working directory 'relative' is invalid, it needs to be an absolute path",
  })
})
