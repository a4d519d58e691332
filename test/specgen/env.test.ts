// The environment flags as Podman parses them: -e entries (KEY=VAL, KEY from the host, PREFIX*),
// --env-file files, --env-host and --http-proxy, resolved against the given host environment.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../src/errors'
import {PROXY_ENV, parseEnvEntries, parseEnvFile, resolveEnv} from '../../src/specgen/env'

const HOST = {PATH: '/host/bin', LANG: 'C.UTF-8', MY_A: 'a', MY_B: 'b', https_proxy: 'http://proxy:3128', NO_PROXY: 'localhost'}

function envFile(t: {teardown(fn: () => void): void}, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-env-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'env'), text)
  return path.join(dir, 'env')
}

test('-e: KEY=VAL as given (the value may hold = and be empty), KEY from the host, PREFIX* copies the host\'s', (t) => {
  const env = parseEnvEntries(['A=1=2', 'EMPTY=', 'LANG', 'UNSET_ON_HOST', 'MY_*', '  LEAD=x'], HOST)
  t.deepEqual([...env], [['A', '1=2'], ['EMPTY', ''], ['LANG', 'C.UTF-8'], ['MY_A', 'a'], ['MY_B', 'b'], ['LEAD', 'x']])
})

test('-e: an entry without a name is refused, naming it', (t) => {
  for (const entry of ['=x', '  =x', '']) {
    const err = t.throws(() => parseEnvEntries([entry], HOST), {instanceOf: UsageError})
    t.true(err.message.endsWith(`variable: ${JSON.stringify(entry)}`), err.message)
  }
})

test('--env-file: one entry a line; leading blanks, blank lines, # comments and CRLF endings are handled', (t) => {
  const file = envFile(t, '# a comment\n\nA=1\r\n   B=two words\nLANG\nMY_*\n  # indented comment\n')
  t.deepEqual([...parseEnvFile(file, HOST)], [['A', '1'], ['B', 'two words'], ['LANG', 'C.UTF-8'], ['MY_A', 'a'], ['MY_B', 'b']])
})

test('--env-file: a missing file and a bad line are usage errors naming the file', (t) => {
  const missing = path.join(os.tmpdir(), 'tspod-env-missing', 'env')
  const err = t.throws(() => parseEnvFile(missing, HOST), {instanceOf: UsageError})
  t.true(err.message.includes(JSON.stringify(missing)), err.message)
  t.regex(err.message, /no such file or directory$/)
  const bad = envFile(t, 'A=1\n=x\n')
  const badErr = t.throws(() => parseEnvFile(bad, HOST), {instanceOf: UsageError})
  t.true(badErr.message.includes(JSON.stringify(bad)) && badErr.message.endsWith('variable: "=x"'), badErr.message)
})

test('resolveEnv: --http-proxy (default on) copies only the host\'s proxy variables; files, then -e, win over them', (t) => {
  t.deepEqual(PROXY_ENV.filter((name) => name in HOST), ['https_proxy', 'NO_PROXY'])
  t.deepEqual(resolveEnv({}, HOST), [['https_proxy', 'http://proxy:3128'], ['NO_PROXY', 'localhost']])
  t.deepEqual(resolveEnv({httpProxy: false}, HOST), [])
  const file = envFile(t, 'A=file\nB=file\nNO_PROXY=file\n')
  t.deepEqual(resolveEnv({envFile: [file], env: ['B=flag']}, HOST), [
    ['https_proxy', 'http://proxy:3128'],
    ['NO_PROXY', 'file'],
    ['A', 'file'],
    ['B', 'flag'],
  ])
})

test('resolveEnv: --env-host copies the whole host environment, -e still wins', (t) => {
  t.deepEqual(new Map(resolveEnv({envHost: true, env: ['PATH=/mine']}, HOST)), new Map(Object.entries({...HOST, PATH: '/mine'})))
})
