import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {compile, readCache, requireCached} from '../../src/cli/code-cache'
import {REPO} from '../helpers/rootless'

const BUNDLE = path.join(REPO, 'dist', 'tspod.js')

test('the build leaves a code cache for the CLI bundle that this Node accepts', (t) => {
  const cache = readCache(`${BUNDLE}.cache`)
  t.truthy(cache, 'npm run build writes dist/tspod.js.cache')
  t.false(compile(BUNDLE, cache).cachedDataRejected)
})

function tempModule(t: {teardown(fn: () => void): void}, source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-code-cache-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'module.js')
  fs.writeFileSync(file, source)
  return file
}

test('requireCached evaluates a CommonJS module once: require() of the same file returns its exports', (t) => {
  const file = tempModule(t, "exports.dir = __dirname; exports.path = require('node:path').sep; exports.n = (globalThis.__loads = (globalThis.__loads ?? 0) + 1)")
  const exported = requireCached(file)
  t.deepEqual(exported, {dir: path.dirname(file), path: '/', n: 1})
  t.is(require(file), exported)
})

test('a code cache that does not fit is ignored: the module still loads', (t) => {
  const file = tempModule(t, 'module.exports = {ok: 42}')
  fs.writeFileSync(`${file}.cache`, Buffer.from('not a V8 code cache'))
  t.true(compile(file, readCache(`${file}.cache`)).cachedDataRejected)
  t.deepEqual(requireCached(file), {ok: 42})
})
