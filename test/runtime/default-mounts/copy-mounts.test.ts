// The default mounts' copies: modes kept, symlinks copied as links (never read through), an
// entry that would write through an earlier copy's symlink dropping the file's mounts, and
// destinations the container has already left alone.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {copyDefaultMounts} from '../../../src/runtime/default-mounts/copy-mounts'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copy-mounts-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('a dir and a file are copied (modes kept, set-id bits dropped) and bound at their container paths; a missing host path is a warning', (t) => {
  const dir = tempDir(t)
  const host = path.join(dir, 'host')
  fs.mkdirSync(path.join(host, 'sub'), {recursive: true})
  fs.writeFileSync(path.join(host, 'a'), 'A\n', {mode: 0o640})
  fs.writeFileSync(path.join(host, 'sub', 'b'), 'B\n')
  fs.chmodSync(path.join(host, 'sub'), 0o550)
  fs.writeFileSync(path.join(dir, 'single'), 'S\n')
  fs.chmodSync(path.join(dir, 'single'), 0o4755)
  fs.symlinkSync(path.join(dir, 'single'), path.join(dir, 'named-link'))
  const root = path.join(dir, 'copies')
  const copy = copyDefaultMounts('/m.conf', [
    {host, container: '/run/secrets'},
    {host: path.join(dir, 'named-link'), container: '/etc/single'},
    {host: path.join(dir, 'missing'), container: '/x'},
  ], root)
  t.deepEqual(copy.warnings, [`Path ${JSON.stringify(path.join(dir, 'missing'))} from "/m.conf" doesn't exist, skipping`])
  t.deepEqual(copy.mounts, [
    {destination: '/run/secrets', type: 'bind', source: path.join(root, 'run/secrets'), options: ['rbind', 'rprivate']},
    {destination: '/etc/single', type: 'bind', source: path.join(root, 'etc/single'), options: ['rbind', 'rprivate']},
  ])
  t.is(fs.readFileSync(path.join(root, 'run/secrets/a'), 'utf8'), 'A\n')
  t.is(fs.statSync(path.join(root, 'run/secrets/a')).mode & 0o7777, 0o640)
  t.is(fs.statSync(path.join(root, 'run/secrets/sub')).mode & 0o7777, 0o550)
  t.is(fs.readFileSync(path.join(root, 'run/secrets/sub/b'), 'utf8'), 'B\n')
  t.is(fs.readFileSync(path.join(root, 'etc/single'), 'utf8'), 'S\n', 'the named host path is read through its link')
  t.is(fs.statSync(path.join(root, 'etc/single')).mode & 0o7777, 0o755)
  t.true(copy.paths.includes(path.join(root, 'run/secrets/sub/b')))
  fs.chmodSync(path.join(root, 'run/secrets/sub'), 0o755)
})

test('symlinks inside a copied tree stay links: nothing outside the tree is read', (t) => {
  const dir = tempDir(t)
  const host = path.join(dir, 'host')
  fs.mkdirSync(host)
  fs.writeFileSync(path.join(dir, 'outside'), 'host secret\n')
  fs.symlinkSync(path.join(dir, 'outside'), path.join(host, 'out'))
  fs.symlinkSync('/nonexistent', path.join(host, 'dangling'))
  const root = path.join(dir, 'copies')
  const copy = copyDefaultMounts('/m.conf', [{host, container: '/run/secrets'}], root)
  t.deepEqual(copy.warnings, [])
  t.true(fs.lstatSync(path.join(root, 'run/secrets/out')).isSymbolicLink())
  t.is(fs.readlinkSync(path.join(root, 'run/secrets/out')), path.join(dir, 'outside'))
  t.is(fs.readlinkSync(path.join(root, 'run/secrets/dangling')), '/nonexistent')
})

test('an entry below an earlier copy\'s symlink is not written through it: the file\'s mounts are dropped with one warning', (t) => {
  const dir = tempDir(t)
  const host = path.join(dir, 'host')
  const outside = path.join(dir, 'outside')
  fs.mkdirSync(host)
  fs.mkdirSync(outside)
  fs.symlinkSync(outside, path.join(host, 'link'))
  fs.writeFileSync(path.join(dir, 'payload'), 'pwn\n')
  const root = path.join(dir, 'copies')
  const copy = copyDefaultMounts('/m.conf', [
    {host, container: '/run/secrets'},
    {host: path.join(dir, 'payload'), container: '/run/secrets/link/evil'},
  ], root)
  t.deepEqual(copy.mounts, [])
  t.deepEqual(copy.warnings, [`Failed to mount subscriptions, skipping entry in /m.conf: create container dir ${path.join(root, 'run/secrets/link')}: not a directory`])
  t.deepEqual(fs.readdirSync(outside), [])
})

test('a destination the container has a mount at already (or an earlier entry\'s) keeps it', (t) => {
  const dir = tempDir(t)
  fs.writeFileSync(path.join(dir, 'a'), 'A\n')
  fs.writeFileSync(path.join(dir, 'b'), 'B\n')
  const root = path.join(dir, 'copies')
  const copy = copyDefaultMounts('/m.conf', [
    {host: path.join(dir, 'a'), container: '/etc/hosts'},
    {host: path.join(dir, 'a'), container: '/one'},
    {host: path.join(dir, 'b'), container: '/one'},
  ], root, new Set(['/etc/hosts']))
  t.deepEqual(copy.mounts.map((m) => m.destination), ['/one'])
  t.is(fs.readFileSync(path.join(root, 'one'), 'utf8'), 'A\n')
  t.false(fs.existsSync(path.join(root, 'etc')))
})
