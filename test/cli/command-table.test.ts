// The build-time command table (dist/command-table.json) against oclif's config of the manifest.
import {Config} from '@oclif/core'
import test from 'ava'

import {buildCommandTable, findCommand, readCommandTable} from '../../src/cli/command-table'
import {type Node, commandTree} from '../../src/cli/help/command-tree'
import {REPO} from '../helpers/rootless'

function nodes(node: Node): Node[] {
  return [node, ...[...node.children.values()].flatMap(nodes)]
}

const PJSON = {name: 'tspod', version: '1.2.3', oclif: {bin: 'tspod', exitCodes: {default: 125}, hooks: {command_not_found: {}}}}

test("the built table names every command and group where oclif's command tree has it", async (t) => {
  const table = readCommandTable(REPO)
  if (!table) return t.fail('no dist/command-table.json: npm run build:bundle writes it')
  const tree = commandTree(await Config.load(REPO))
  const expected: Record<string, string | null> = {}
  for (const node of nodes(tree)) {
    if (node.path.length === 0 || node.path[0] === 'help') continue
    expected[node.path.join(' ')] = node.command?.id ?? null
  }
  t.deepEqual(table.words, expected)
})

test('the built table carries the package.json values a command reads of oclif config', async (t) => {
  const table = readCommandTable(REPO)!
  const config = await Config.load(REPO)
  t.is(table.bin, config.bin)
  t.is(table.name, config.name)
  t.is(table.version, config.version)
  t.deepEqual(table.exitCodes, config.pjson.oclif.exitCodes)
})

test('findCommand walks the words up to the first flag, as far as they name something', (t) => {
  const table = buildCommandTable({'image:ls': {aliases: ['images', 'image:list']}, 'container:ls': {aliases: ['ps']}}, PJSON)!
  t.deepEqual(table.words, {image: null, 'image ls': 'image:ls', images: 'image:ls', 'image list': 'image:ls', container: null, 'container ls': 'container:ls', ps: 'container:ls'})
  t.deepEqual(findCommand(table, ['images', '-a']), {id: 'image:ls', path: ['images'], args: ['-a']})
  t.deepEqual(findCommand(table, ['image', 'list', 'x', 'ls']), {id: 'image:ls', path: ['image', 'list'], args: ['x', 'ls']})
  t.deepEqual(findCommand(table, ['ps', 'ls']), {id: 'container:ls', path: ['ps'], args: ['ls']})
  t.is(findCommand(table, ['image']), undefined, 'a group')
  t.is(findCommand(table, ['image', '--help', 'ls']), undefined, 'a group, its flags first')
  t.is(findCommand(table, ['image', 'nope']), undefined, 'an unknown subcommand')
  t.is(findCommand(table, []), undefined)
  t.is(findCommand(table, ['--root', '/x']), undefined)
  t.is(findCommand(table, ['constructor']), undefined, "an object's own property only")
  t.is(findCommand(table, ['help', 'images']), undefined)
})

test('no table when oclif would do more than find the command: plugins, or hooks around it', (t) => {
  t.truthy(buildCommandTable({}, PJSON))
  t.is(buildCommandTable({}, {...PJSON, oclif: {...PJSON.oclif, plugins: ['@oclif/plugin-plugins']}}), undefined)
  t.is(buildCommandTable({}, {...PJSON, oclif: {...PJSON.oclif, hooks: {prerun: './x'}}}), undefined)
})
