// `tspod completion`: the scripts, and the hidden `__complete` they call, completing commands,
// flags and the names in the store; the bash script run by bash itself as the rootless user.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {DIRECTIVE, complete, nameKindOf} from '../../src/cli/completion/candidates'
import type {Node} from '../../src/cli/help/command-tree'
import {lookupUser, removeTree, runAs, sandbox, tspod, TEST_USER, TSPOD_BIN} from '../helpers/rootless'

function node(pathWords: string[], command?: unknown, children: Node[] = []): Node {
  return {path: pathWords, summary: `about ${pathWords.join(' ')}`, command: command as Node['command'], children: new Map(children.map((c) => [c.path[c.path.length - 1], c]))}
}

const inspect = {id: 'volume:inspect', args: {volumes: {}}, strict: false, flags: {format: {name: 'format', type: 'option', char: 'f', description: 'Format output'}}}
const tree = node([], undefined, [node(['volume'], undefined, [node(['volume', 'inspect'], inspect)]), node(['version'], {id: 'version', args: {}, flags: {}})])
const names = async (kind: string, _partial: string) => (kind === 'volumes' ? ['data', 'db', 'logs'] : [])

test('argument names say which store names complete them', (t) => {
  t.is(nameKindOf('containers'), 'containers')
  t.is(nameKindOf('image'), 'images')
  t.is(nameKindOf('volume'), 'volumes')
  t.is(nameKindOf('command'), undefined)
})

test('commands, then flags, then names; a flag value is left to the shell', async (t) => {
  t.deepEqual((await complete(tree, ['v'], names)).candidates.map((c) => c.name), ['volume', 'version'])
  t.deepEqual((await complete(tree, ['volume', ''], names)).candidates.map((c) => c.name), ['inspect'])
  t.deepEqual((await complete(tree, ['volume', 'inspect', 'd'], names)), {candidates: [{name: 'data'}, {name: 'db'}], directive: DIRECTIVE.noFileComp})
  t.deepEqual((await complete(tree, ['volume', 'inspect', 'data', 'l'], names)).candidates, [{name: 'logs'}], 'more of a list')
  t.true((await complete(tree, ['volume', 'inspect', '--f'], names)).candidates.some((c) => c.name === '--format'))
  t.deepEqual(await complete(tree, ['volume', 'inspect', '--format', ''], names), {candidates: [], directive: DIRECTIVE.default})
  t.deepEqual((await complete(tree, ['version', ''], names)).directive, DIRECTIVE.noFileComp, 'no arguments: nothing to complete')
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
