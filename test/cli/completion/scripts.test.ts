// The scripts `tspod completion SHELL` prints, each asking the program's `__complete`; the bash
// one run by bash itself as the rootless user, completing from the store.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {SHELLS, completionScript} from '../../../src/cli/completion/scripts'
import {lookupUser, removeTree, runAs, sandbox, tspod, TEST_USER, TSPOD_BIN} from '../../helpers/rootless'

test('each shell completes the program it is named for, through __complete, with descriptions unless told not to', (t) => {
  t.deepEqual([...SHELLS], ['bash', 'zsh', 'fish'])
  const bash = completionScript('bash', 'tspod', false)
  t.regex(bash, /^# bash completion for tspod\n/)
  t.regex(bash, /\ncomplete -o default -F __tspod_complete tspod\n$/)
  t.regex(bash, / __completeNoDesc /, 'bash shows no descriptions')
  const zsh = completionScript('zsh', 'tspod', false)
  t.regex(zsh, /^#compdef tspod\n/)
  t.regex(zsh, / __complete "/)
  t.regex(completionScript('zsh', 'tspod', true), / __completeNoDesc "/)
  const fish = completionScript('fish', 'tspod', false)
  t.regex(fish, /\ncomplete -c tspod -f -a '\(__tspod_complete\)'\n$/)
  t.regex(fish, / __complete \$words/)
  t.regex(completionScript('fish', 'tspod', true), / __completeNoDesc \$words/)
})

test("a program name that is no shell identifier names the script's function in one", (t) => {
  const bash = completionScript('bash', 'podman-remote', false)
  t.regex(bash, /\n__podman_remote_complete\(\) \{\n/)
  t.regex(bash, /\ncomplete -o default -F __podman_remote_complete podman-remote\n$/)
  t.regex(completionScript('zsh', 'podman-remote', false), /\ncompdef _podman_remote podman-remote\n$/)
})

test('the bash script completes verbs, flags and volume names from the store, in bash, as the rootless user', async (t) => {
  const user = lookupUser(TEST_USER)
  const box = sandbox(user)
  try {
    t.is((await tspod(box, ['volume', 'create', 'complvol1'])).code, 0)
    const script = await tspod(box, ['completion', 'bash'])
    t.is(script.code, 0, script.stderr)
    const bin = path.join(box.dir, 'bin')
    fs.mkdirSync(bin)
    fs.symlinkSync(TSPOD_BIN, path.join(bin, 'tspod'))
    fs.writeFileSync(path.join(box.dir, 'tspod.bash'), script.stdout)
    fs.chownSync(bin, user.uid, user.gid)
    const env = {...box.env, PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`}
    const completeLine = async (...words: string[]) => {
      const program = `source ${box.dir}/tspod.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; __tspod_complete; printf '%s\\n' "\${COMPREPLY[@]}"`
      const r = await runAs(user, ['bash', '-c', program], {env})
      t.is(r.code, 0, r.stderr)
      return r.stdout.split('\n').filter(Boolean)
    }
    t.deepEqual(await completeLine('tspod', 'volume', 'insp'), ['inspect'])
    t.deepEqual(await completeLine('tspod', 'volume', 'inspect', 'compl'), ['complvol1'])
    t.true((await completeLine('tspod', 'volume', 'create', '--')).includes('--label'))
    t.true((await completeLine('tspod', 'r')).includes('run'))
  } finally {
    removeTree(box.dir)
  }
})

test('the CLI writes the script to the file -f names instead of stdout, as the rootless user', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  try {
    const file = path.join(box.dir, '_tspod')
    const r = await tspod(box, ['completion', 'zsh', '-f', file])
    t.is(r.code, 0, r.stderr)
    t.is(r.stdout, '')
    t.is(fs.readFileSync(file, 'utf8'), completionScript('zsh', 'tspod', false))
  } finally {
    removeTree(box.dir)
  }
})
