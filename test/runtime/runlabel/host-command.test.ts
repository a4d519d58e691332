// A label's command run on the host without a shell; its failures in Podman's words.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {lookPath, runHostCommand} from '../../../src/runtime/runlabel/host-command'

const command = (file: string, args: string[], extra: {env?: NodeJS.ProcessEnv; inheritStdio?: boolean} = {}) => ({
  program: file,
  file,
  args,
  shownArgs: args,
  env: extra.env ?? {PATH: '/usr/bin:/bin'},
  inheritStdio: extra.inheritStdio ?? false,
})

test('a bare name is found in PATH; a missing one is refused as Go\'s LookPath does', (t) => {
  t.is(lookPath('sh', '/nonexistent:/bin'), '/bin/sh')
  t.is(lookPath('./x', ''), './x')
  t.throws(() => lookPath('no-such-program-here', '/bin'), {message: 'exec: "no-such-program-here": executable file not found in $PATH'})
})

test('exit 0 resolves; another exit or a signal rejects with the command and Go\'s status words', async (t) => {
  await t.notThrowsAsync(runHostCommand(command('true', [])))
  await t.throwsAsync(runHostCommand(command('/bin/sh', ['-c', 'exit 7'])), {message: '`/bin/sh -c exit 7` failed: exit status 7'})
  await t.throwsAsync(runHostCommand(command('/bin/sh', ['-c', 'kill -KILL $$'])), {message: '`/bin/sh -c kill -KILL $$` failed: signal: killed'})
  await t.throwsAsync(runHostCommand(command('no-such-program-here', ['a'])), {message: '`no-such-program-here a` failed: exec: "no-such-program-here": executable file not found in $PATH'})
})

test('arguments reach the program as they are: nothing is interpreted by a shell', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlabel-'))
  try {
    const out = path.join(dir, 'out')
    const marker = path.join(dir, 'marker')
    const args = ['-c', 'printf "%s\\n" "$@" > "$0"', out, `; touch ${marker}`, '$(touch x)', '*']
    await runHostCommand(command('/bin/sh', args))
    t.is(fs.readFileSync(out, 'utf8'), `; touch ${marker}\n$(touch x)\n*\n`)
    t.false(fs.existsSync(marker))
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})

test('the command gets the environment it is given', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlabel-'))
  try {
    const out = path.join(dir, 'env')
    await runHostCommand(command('/bin/sh', ['-c', 'echo "$OPT1 $PODMAN_RUNLABEL_NESTED" > "$0"', out], {env: {PATH: '/bin', OPT1: 'o', PODMAN_RUNLABEL_NESTED: '1'}}))
    t.is(fs.readFileSync(out, 'utf8'), 'o 1\n')
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})
