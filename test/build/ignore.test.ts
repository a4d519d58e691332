// .containerignore / .dockerignore patterns, as Docker's documented cases.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {IgnoreMatcher, loadIgnore} from '../../src/build/ignore'

test('globs within a component, ** across components, a matched dir covers its contents', (t) => {
  const m = new IgnoreMatcher(['# comment', '*/temp*', '**/*.log', 'secret', '/build/'])
  t.true(m.ignores('a/tempfile'))
  t.false(m.ignores('a/b/tempfile'))
  t.true(m.ignores('x/y/z.log'))
  t.true(m.ignores('z.log'))
  t.true(m.ignores('secret/inner/file'))
  t.true(m.ignores('build/out'))
  t.false(m.ignores('src/main.c'))
})

test('! re-includes, the last match wins', (t) => {
  const m = new IgnoreMatcher(['*.md', '!README.md', 'README*'])
  t.true(m.ignores('a.md'))
  t.true(m.ignores('README.md'))
  const n = new IgnoreMatcher(['*', '!keep'])
  t.true(n.ignores('other'))
  t.false(n.ignores('keep'))
})

test('.containerignore wins over .dockerignore; none is an empty matcher', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-ignore-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  t.true(loadIgnore(dir).empty)
  fs.writeFileSync(path.join(dir, '.dockerignore'), 'a\n')
  t.true(loadIgnore(dir).ignores('a'))
  fs.writeFileSync(path.join(dir, '.containerignore'), 'b\n')
  t.false(loadIgnore(dir).ignores('a'))
  t.true(loadIgnore(dir).ignores('b'))
})
