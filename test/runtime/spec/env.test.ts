// The container environment: Podman's sources and precedence, -e forms, --env-file syntax.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../../src/errors'
import {buildEnv} from '../../../src/runtime/spec/env'
import {EnvOptions, parseEnvEntries, parseEnvFile, resolveEnv} from '../../../src/specgen/env'

const BUSYBOX_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=oci']
const HOST = {PATH: '/host/bin', HOME: '/home/me', LANG: 'C.UTF-8', TERM: 'screen', https_proxy: 'http://proxy:3128', MY_A: 'a', MY_B: 'b', OTHER: 'o'}

function envFile(t: {teardown: (fn: () => void) => void}, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-env-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'env')
  fs.writeFileSync(file, content)
  return file
}

const base = {hostEnv: HOST, hostname: 'c0ffee123456', home: '/root'}

interface Request extends EnvOptions {
  hostEnv: NodeJS.ProcessEnv
  hostname: string
  home: string
  imageEnv?: string[]
  unsetenv?: string[]
  unsetenvAll?: boolean
  tty?: boolean
}

/** The flags resolved as specgen resolves them, then merged as create merges them. */
function build(request: Request): string[] {
  return buildEnv({...request, env: resolveEnv(request, request.hostEnv)})
}

test('busybox image, no options: image env, proxies from the host, HOSTNAME and HOME', (t) => {
  t.deepEqual(build({...base, imageEnv: BUSYBOX_ENV}), [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'TERM=xterm',
    'container=oci',
    'https_proxy=http://proxy:3128',
    'HOME=/root',
    'HOSTNAME=c0ffee123456',
  ])
})

test('defaults when the image sets nothing: PATH, TERM=xterm (with a tty or not) and container=podman', (t) => {
  t.deepEqual(build({...base, httpProxy: false}), [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'TERM=xterm',
    'container=podman',
    'HOME=/root',
    'HOSTNAME=c0ffee123456',
  ])
  t.true(build({...base, tty: true}).includes('TERM=xterm'))
  t.true(build({...base, tty: true, imageEnv: ['TERM=vt100']}).includes('TERM=vt100'))
})

test('--unsetenv leaves out a default or image variable, --unsetenv-all all of them; -e, HOME and HOSTNAME stay', (t) => {
  const none = {...base, httpProxy: false}
  t.deepEqual(build({...none, imageEnv: BUSYBOX_ENV, unsetenv: ['TERM', 'container', 'HOME']}), [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'HOME=/root',
    'HOSTNAME=c0ffee123456',
  ])
  t.deepEqual(build({...none, imageEnv: BUSYBOX_ENV, unsetenvAll: true, env: ['TERM=abc']}), ['TERM=abc', 'HOME=/root', 'HOSTNAME=c0ffee123456'])
  t.true(build({...none, unsetenv: ['TERM'], env: ['TERM=abc']}).includes('TERM=abc'))
})

test('-e KEY=VAL, KEY (host value, skipped when unset), PREFIX* (host glob); later wins', (t) => {
  const env = build({...base, imageEnv: BUSYBOX_ENV, env: ['TEST=here', 'LANG', 'NOT_ON_HOST', 'MY_*', 'container=mine', 'EMPTY=', 'X=a=b']})
  t.true(env.includes('TEST=here'))
  t.true(env.includes('LANG=C.UTF-8'))
  t.false(env.some((e) => e.startsWith('NOT_ON_HOST')))
  t.true(env.includes('MY_A=a') && env.includes('MY_B=b'))
  t.false(env.some((e) => e.startsWith('OTHER=')))
  t.true(env.includes('container=mine'))
  t.false(env.includes('container=oci'))
  t.true(env.includes('EMPTY='))
  t.true(env.includes('X=a=b'))
  t.throws(() => parseEnvEntries(['=oops'], HOST), {instanceOf: UsageError, message: 'invalid variable: "=oops"'})
})

test('-e HOME and -e HOSTNAME replace the computed ones', (t) => {
  const env = build({...base, env: ['HOME=/custom', 'HOSTNAME=mine']})
  t.true(env.includes('HOME=/custom'))
  t.true(env.includes('HOSTNAME=mine'))
  t.is(env.filter((e) => e.startsWith('HOME=')).length, 1)
})

test('--env-host copies the whole host env over the image env; -e still wins', (t) => {
  const env = build({...base, imageEnv: [...BUSYBOX_ENV, 'LANG=image'], envHost: true, env: ['OTHER=flag']})
  t.true(env.includes('PATH=/host/bin'))
  t.true(env.includes('LANG=C.UTF-8'))
  t.true(env.includes('HOME=/home/me'))
  t.true(env.includes('OTHER=flag'))
  t.true(env.includes('container=oci'))
})

test('--http-proxy=false keeps the host proxies out', (t) => {
  t.false(build({...base, httpProxy: false}).some((e) => e.includes('proxy')))
  t.true(build({...base, imageEnv: ['https_proxy=image']}).includes('https_proxy=http://proxy:3128'))
})

test('an image Env entry without "=" never reads the host', (t) => {
  const env = build({...base, imageEnv: ['LANG', 'MY_*', 'OK=1']})
  t.false(env.some((e) => e.startsWith('LANG') || e.startsWith('MY_')))
  t.true(env.includes('OK=1'))
})

test('--env-file: comments, blanks, leading blanks, CRLF, bare names, globs; files then -e', (t) => {
  const first = envFile(t, '# comment\n\n  FROM_FILE=1\r\nSPACED = kept as is \nLANG\nMISSING\nMY_*\nSHARED=file\n')
  const second = envFile(t, 'SHARED=second file\nFROM_FILE=2\n')
  const parsed = parseEnvFile(first, HOST)
  t.deepEqual([...parsed], [
    ['FROM_FILE', '1'],
    ['SPACED ', ' kept as is '],
    ['LANG', 'C.UTF-8'],
    ['MY_A', 'a'],
    ['MY_B', 'b'],
    ['SHARED', 'file'],
  ])
  const env = build({...base, envFile: [first, second], env: ['SHARED=flag']})
  t.true(env.includes('FROM_FILE=2'))
  t.true(env.includes('SHARED=flag'))
})

test('--env-file errors name the file', (t) => {
  const bad = envFile(t, 'GOOD=1\n=bad\n')
  t.throws(() => parseEnvFile(bad, HOST), {instanceOf: UsageError, message: `parsing file "${bad}": invalid variable: "=bad"`})
  t.throws(() => parseEnvFile('/no/such/env', HOST), {message: 'parsing file "/no/such/env": open /no/such/env: no such file or directory'})
})
