// A git repository as a build context: which sources are git, their #REF:SUBDIR, and a fetch
// with the host's git from a local repository.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {cloneGitContext, isGitContext, parseGitContext} from '../../src/build/git-context'

test('git:// and http(s) URLs ending in .git are git contexts; other URLs and dirs are not', (t) => {
  t.true(isGitContext('git://host/repo'))
  t.true(isGitContext('https://host/org/repo.git#main'))
  t.false(isGitContext('https://host/context.tar.gz'))
  t.false(isGitContext('./repo.git'))
  t.deepEqual(parseGitContext('git://h/r#v1:sub/dir'), {repo: 'git://h/r', ref: 'v1', subdir: 'sub/dir'})
  t.deepEqual(parseGitContext('git://h/r#:sub'), {repo: 'git://h/r', ref: undefined, subdir: 'sub'})
  t.deepEqual(parseGitContext('git://h/r'), {repo: 'git://h/r'})
})

test('fetched at a ref, a subdir as the context; a missing subdir and a missing ref are named', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-git-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const repo = path.join(dir, 'repo')
  fs.mkdirSync(path.join(repo, 'app'), {recursive: true})
  fs.writeFileSync(path.join(repo, 'app', 'Containerfile'), 'FROM scratch\n')
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {stdio: 'ignore'})
  git('init', '-q')
  git('add', '.')
  git('commit', '-q', '-m', 'one')
  git('tag', 'v1')

  const context = await cloneGitContext(`${repo}#v1:app`, path.join(dir, 'a'))
  t.is(context, path.join(dir, 'a', 'app'))
  t.is(fs.readFileSync(path.join(context, 'Containerfile'), 'utf8'), 'FROM scratch\n')
  await t.throwsAsync(cloneGitContext(`${repo}#v1:nothere`, path.join(dir, 'b')), {message: `cloning ${JSON.stringify(`${repo}#v1:nothere`)}: nothere: no such directory in the repository`})
  await t.throwsAsync(cloneGitContext(`${repo}#v9`, path.join(dir, 'c')), {message: /^cloning .*: failed while performing `git fetch`: /})
})
