// @userns
// The namespace primitive, exercised as real users: the rootless test user (subuid ranges,
// mapped through newuidmap/newgidmap) and a user without ranges (single mapping).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {withWaitStep} from '../../src/userns/spawn'

import {NOSUB_USER, TEST_USER, TestUser, lookupUser, runAs} from '../helpers/rootless'

const REPORT = path.join(__dirname, '..', 'fixtures', 'spawn-report.js')

interface Report {
  mapping: {mode: string; setgroups: string}
  exit?: {code: number | null; signal: string | null}
  stdout?: string
  error?: {name: string; message: string; exitCode: number; code?: string}
}

async function spawnAs(user: TestUser, request: object): Promise<Report> {
  const r = await runAs(user, [process.execPath, REPORT, JSON.stringify(request)])
  if (r.code !== 0) throw new Error(`spawn-report failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as Report
}

const SHOW_IDENTITY = {
  file: '/bin/sh',
  argv: ['sh', '-c', 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'],
  env: ['PATH=/usr/bin:/bin'],
}

function rangeOf(file: string, name: string): {start: number; count: number} {
  const line = require('node:fs').readFileSync(file, 'utf8').split('\n').find((l: string) => l.startsWith(`${name}:`))
  const [, start, count] = line.split(':')
  return {start: Number(start), count: Number(count)}
}

function mapLines(text: string): number[][] {
  return text.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number))
}

test('rootless user: the child is uid 0, maps the subuid range through newuidmap, setgroups allow', async (t) => {
  const user = lookupUser(TEST_USER)
  const report = await spawnAs(user, {namespaces: ['user', 'mount', 'pid', 'uts', 'ipc'], command: SHOW_IDENTITY})
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: 0, signal: null})
  const lines = report.stdout!.trim().split('\n')
  t.is(lines[0], '0')
  t.is(lines[1], '0')
  const subuid = rangeOf('/etc/subuid', user.name)
  const subgid = rangeOf('/etc/subgid', user.name)
  t.deepEqual(mapLines(lines.slice(2, 4).join('\n')), [[0, user.uid, 1], [1, subuid.start, subuid.count]])
  t.deepEqual(mapLines(lines.slice(4, 6).join('\n')), [[0, user.gid, 1], [1, subgid.start, subgid.count]])
  t.is(lines[6], 'allow')
  t.is(report.mapping.mode, 'subid')
})

test('user without subordinate ranges: single self-mapping with setgroups deny', async (t) => {
  const user = lookupUser(NOSUB_USER)
  const report = await spawnAs(user, {namespaces: ['user'], command: SHOW_IDENTITY})
  t.deepEqual(report.exit, {code: 0, signal: null})
  const lines = report.stdout!.trim().split('\n')
  t.deepEqual(lines.slice(0, 2), ['0', '0'])
  t.deepEqual(mapLines(lines[2]), [[0, user.uid, 1]])
  t.deepEqual(mapLines(lines[3]), [[0, user.gid, 1]])
  t.is(lines[4], 'deny')
  t.is(report.mapping.mode, 'single')
})

test('exit status and signals of the child are reported', async (t) => {
  const user = lookupUser(TEST_USER)
  const exit3 = await spawnAs(user, {namespaces: ['user'], command: {file: '/bin/sh', argv: ['sh', '-c', 'exit 3'], env: []}})
  t.deepEqual(exit3.exit, {code: 3, signal: null})
  const killed = await spawnAs(user, {namespaces: ['user'], command: {file: '/bin/sh', argv: ['sh', '-c', 'kill -TERM $$'], env: []}})
  t.deepEqual(killed.exit, {code: null, signal: 'SIGTERM'})
})

test('a missing program is 127 and a directory is 126, with the path and the reason', async (t) => {
  const user = lookupUser(TEST_USER)
  const missing = await spawnAs(user, {namespaces: ['user'], command: {file: 'no-such-cmd', argv: ['no-such-cmd'], env: ['PATH=/usr/bin:/bin']}})
  t.is(missing.error?.name, 'ExecNotFoundError')
  t.is(missing.error?.exitCode, 127)
  t.is(missing.error?.message, 'executable file `no-such-cmd` not found in $PATH: No such file or directory')
  const dir = await spawnAs(user, {namespaces: ['user'], command: {file: '/etc', argv: ['/etc'], env: []}})
  t.is(dir.error?.exitCode, 126)
  t.is(dir.error?.message, 'exec `/etc`: permission denied')
})

test('hold: the child waits before its program until released; a program that cannot be found fails while it is held', async (t) => {
  const user = lookupUser(TEST_USER)
  const held = await spawnAs(user, {namespaces: ['user'], hold: true, command: {file: 'sh', argv: ['sh', '-c', 'echo ran'], env: ['PATH=/usr/bin:/bin']}})
  t.like(held, {held: true, outputWhileHeld: '', stdout: 'ran\n', exit: {code: 0, signal: null}})
  const missing = await spawnAs(user, {namespaces: ['user'], hold: true, command: {file: 'no-such-cmd', argv: ['no-such-cmd'], env: ['PATH=/usr/bin:/bin']}})
  t.is(missing.error?.message, 'executable file `no-such-cmd` not found in $PATH: No such file or directory')
  t.is((missing as {held?: boolean}).held, undefined)
})

test('a failing mount step is reported with its name and errno', async (t) => {
  const user = lookupUser(TEST_USER)
  const report = await spawnAs(user, {
    namespaces: ['user', 'mount'],
    steps: [{kind: 'mount', name: 'mount tmpfs on /no/such/dir', source: 'tmpfs', fstype: 'tmpfs', path: '/no/such/dir'}],
  })
  t.is(report.error?.code, 'ENOENT')
  t.is(report.error?.message, 'mount tmpfs on /no/such/dir: No such file or directory')
})

test('without a user namespace, creating a mount namespace is refused to an unprivileged user', async (t) => {
  const user = lookupUser(TEST_USER)
  const report = await spawnAs(user, {namespaces: ['mount'], command: SHOW_IDENTITY})
  t.is(report.error?.code, 'EPERM')
  t.regex(report.error!.message, /^creating mount namespaces: clone: Operation not permitted/)
})

test('besideSteps joins the child while its steps run; the program starts once it is done, a failed step is the error', async (t) => {
  const user = lookupUser(TEST_USER)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-beside-'))
  fs.chownSync(dir, user.uid, user.gid)
  try {
    const [made, ready] = [path.join(dir, 'made-by-a-step'), path.join(dir, 'made-beside')]
    const report = await spawnAs(user, {
      namespaces: ['user', 'mount', 'pid', 'net'],
      steps: [{kind: 'mkdir', name: 'mkdir', path: made, mode: 0o755}],
      command: {file: '/bin/sh', argv: ['sh', '-c', `test -e ${ready} && echo ready`], env: []},
      beside: {waitFor: made, thenCreate: ready},
    })
    t.is(report.error, undefined)
    t.deepEqual(report.exit, {code: 0, signal: null})
    t.is(report.stdout, 'ready\n')

    const failed = await spawnAs(user, {
      namespaces: ['user', 'mount', 'pid', 'net'],
      steps: [{kind: 'mkdir', name: 'mkdir', path: path.join(dir, 'missing', 'x'), mode: 0o755}],
      command: {file: '/bin/true', argv: ['true'], env: []},
      beside: {waitFor: path.join(dir, 'never'), thenCreate: path.join(dir, 'never-either')},
    })
    t.regex(failed.error?.message ?? '', /mkdir/)
    t.is(failed.error?.code, 'ENOENT')
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})

test('the wait step goes before the first step that changes credentials, never inside a fallback group', (t) => {
  const mount = (name: string, fallback?: number) => ({kind: 'mount' as const, name, source: 'x', path: '/x', ...(fallback ? {fallback: {errno: 1, steps: fallback}} : {})})
  const setresuid = {kind: 'setresuid' as const, name: 'uid', id: 0}
  const kinds = (steps: {kind: string}[]) => steps.map((s) => s.kind)
  t.deepEqual(kinds(withWaitStep([mount('a'), setresuid])), ['mount', 'wait_release', 'setresuid'])
  t.deepEqual(kinds(withWaitStep([mount('a')])), ['mount', 'wait_release'])
  t.deepEqual(kinds(withWaitStep([mount('a'), mount('b', 1), setresuid])), ['mount', 'wait_release', 'mount', 'setresuid'])
})
