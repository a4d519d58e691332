// What `__complete` answers: commands, then flags, then the store's names, in cobra's protocol.
import test from 'ava'

import {DIRECTIVE, complete, nameKindOf, renderCompletion} from '../../../src/cli/completion/candidates'
import type {Node} from '../../../src/cli/help/command-tree'

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

test('one candidate a line, with its description when asked, then the directive', (t) => {
  const completion = {candidates: [{name: 'inspect', description: 'Display details'}, {name: 'ls'}], directive: DIRECTIVE.noFileComp}
  t.is(renderCompletion(completion, true), 'inspect\tDisplay details\nls\n:4\n')
  t.is(renderCompletion(completion, false), 'inspect\nls\n:4\n')
  t.is(renderCompletion({candidates: [], directive: DIRECTIVE.default}, true), ':0\n')
})
