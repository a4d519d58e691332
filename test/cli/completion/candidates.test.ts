// What `__complete` answers: commands, then flags, then the store's names, in cobra's protocol.
import test from 'ava'

import {DIRECTIVE, complete, renderCompletion} from '../../../src/cli/completion/candidates'
import type {Node} from '../../../src/cli/help/command-tree'

function node(pathWords: string[], command?: unknown, children: Node[] = []): Node {
  return {path: pathWords, summary: `about ${pathWords.join(' ')}`, command: command as Node['command'], children: new Map(children.map((c) => [c.path[c.path.length - 1], c]))}
}

const inspect = {id: 'volume:inspect', args: {volumes: {}}, strict: false, flags: {format: {name: 'format', type: 'option', char: 'f', description: 'Format output'}}}
const tree = node([], undefined, [node(['volume'], undefined, [node(['volume', 'inspect'], inspect)]), node(['version'], {id: 'version', args: {}, flags: {}})])
const names = async (kind: string, _partial: string) => (kind === 'volumes' ? ['data', 'db', 'logs'] : [])

test('commands, then flags, then names; a flag value is left to the shell', async (t) => {
  t.deepEqual((await complete(tree, ['v'], names)).candidates.map((c) => c.name), ['volume', 'version'])
  t.deepEqual((await complete(tree, ['volume', ''], names)).candidates.map((c) => c.name), ['inspect'])
  t.deepEqual((await complete(tree, ['volume', 'inspect', 'd'], names)), {candidates: [{name: 'data'}, {name: 'db'}], directive: DIRECTIVE.noFileComp})
  t.deepEqual((await complete(tree, ['volume', 'inspect', 'data', 'l'], names)).candidates, [{name: 'logs'}], 'more of a list')
  t.true((await complete(tree, ['volume', 'inspect', '--f'], names)).candidates.some((c) => c.name === '--format'))
  t.deepEqual(await complete(tree, ['volume', 'inspect', '--format', ''], names), {candidates: [{name: 'json'}], directive: DIRECTIVE.noFileComp})
  const fields = await complete(tree, ['volume', 'inspect', '--format', '{{.'], names)
  t.deepEqual(fields.candidates.slice(0, 3), [{name: '{{.Name}}'}, {name: '{{.Driver}}'}, {name: '{{.Mountpoint}}'}], "the fields of volume inspect's output type")
  t.deepEqual(await complete(tree, ['volume', 'inspect', '--format=j'], names), {candidates: [{name: 'json'}], directive: DIRECTIVE.noFileComp}, 'the value after --format=')
  t.deepEqual((await complete(tree, ['version', ''], names)).directive, DIRECTIVE.noFileComp, 'no arguments: nothing to complete')
})

test('one candidate a line, with its description when asked, then the directive', (t) => {
  const completion = {candidates: [{name: 'inspect', description: 'Display details'}, {name: 'ls'}], directive: DIRECTIVE.noFileComp}
  t.is(renderCompletion(completion, true), 'inspect\tDisplay details\nls\n:4\n')
  t.is(renderCompletion(completion, false), 'inspect\nls\n:4\n')
  t.is(renderCompletion({candidates: [], directive: DIRECTIVE.default}, true), ':0\n')
})

const run = {id: 'container:run', args: {image: {}, command: {}}, strict: false, flags: {}}
const cp = {id: 'container:cp', args: {source: {}, destination: {}}, strict: true, flags: {}}
const stop = {id: 'container:stop', args: {containers: {}}, strict: false, flags: {}}
const containerTree = node([], undefined, [node(['run'], run), node(['cp'], cp), node(['stop'], stop)])
const states: Record<string, string> = {web: 'running', db: 'exited'}
const storeNames = async (kind: string, _partial: string, only?: string[]) =>
  kind === 'containers' ? Object.keys(states).filter((n) => !only || only.includes(states[n])) : kind === 'images' ? ['alpine:3'] : []
const rootfs = (target: {image: string} | {container: string}) => async (dir: string) =>
  dir === '/' ? [{name: 'etc', type: 'directory'}, {name: 'image' in target ? target.image : target.container, type: 'file'}] : undefined

test('run IMAGE then paths inside that image', async (t) => {
  t.deepEqual((await complete(containerTree, ['run', ''], storeNames, rootfs)).candidates, [{name: 'alpine:3'}])
  t.deepEqual(await complete(containerTree, ['run', 'alpine:3', ''], storeNames, rootfs), {candidates: [{name: '/etc/'}, {name: '/alpine:3'}], directive: DIRECTIVE.noSpace})
})

test('cp: CONTAINER: without a space, then paths inside it; host paths otherwise; nothing past two', async (t) => {
  t.deepEqual(await complete(containerTree, ['cp', 'w'], storeNames, rootfs), {candidates: [{name: 'web:'}], directive: DIRECTIVE.noSpace})
  t.deepEqual((await complete(containerTree, ['cp', 'db:'], storeNames, rootfs)).candidates, [{name: 'db:/etc/'}, {name: 'db:/db'}])
  t.deepEqual(await complete(containerTree, ['cp', './x'], storeNames, rootfs), {candidates: [], directive: DIRECTIVE.default})
  t.deepEqual(await complete(containerTree, ['cp', 'a', 'b', ''], storeNames, rootfs), {candidates: [], directive: DIRECTIVE.noFileComp})
})

test('stop offers only running containers', async (t) => {
  t.deepEqual((await complete(containerTree, ['stop', ''], storeNames, rootfs)).candidates, [{name: 'web'}])
})
