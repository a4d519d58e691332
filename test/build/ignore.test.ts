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
  // --ignorefile: that file instead of the context's; a missing one is an error
  fs.writeFileSync(path.join(dir, 'mine'), 'c\n')
  const chosen = loadIgnore(dir, path.join(dir, 'mine'))
  t.true(chosen.ignores('c'))
  t.false(chosen.ignores('b'))
  t.throws(() => loadIgnore(dir, path.join(dir, 'nope')), {message: /^reading ignore file ".*nope": no such file or directory$/})
})

test('BuildKit\'s documented .dockerignore cases', (t) => {
  const doc = new IgnoreMatcher(['# comment', '*/temp*', '*/*/temp*', 'temp?'])
  t.true(doc.ignores('somedir/temporary.txt'))
  t.true(doc.ignores('somedir/temp'))
  t.true(doc.ignores('somedir/subdir/temporary.txt'))
  t.true(doc.ignores('tempa'))
  t.false(doc.ignores('temporary.txt'))
  t.false(doc.ignores('a/b/c/temp'))
  const go = new IgnoreMatcher(['**/*.go'])
  t.true(go.ignores('main.go'))
  t.true(go.ignores('a/b/c.go'))
  const readme = new IgnoreMatcher(['*.md', '!README*.md', 'README-secret.md'])
  t.true(readme.ignores('CHANGES.md'))
  t.false(readme.ignores('README.md'))
  t.true(readme.ignores('README-secret.md'))
  const allReadme = new IgnoreMatcher(['*.md', 'README-secret.md', '!README*.md'])
  t.false(allReadme.ignores('README-secret.md'))
  // leading and trailing slashes and ./.. are cleaned away, as filepath.Clean does
  const clean = new IgnoreMatcher(['/a/b/', './c', 'd/../e'])
  t.true(clean.ignores('a/b/x'))
  t.true(clean.ignores('c'))
  t.true(clean.ignores('e'))
  t.false(clean.ignores('d'))
})
