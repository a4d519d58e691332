// The command tree built from oclif's config: groups, commands under each of their names, one
// listed name per command in a group, and `help`.
import test from 'ava'
import type {Command, Config} from '@oclif/core'

import {HELP_SUMMARY, ROOT_SUMMARY, commandTree, findNode} from '../../../src/cli/help/command-tree'

function command(id: string, fields: Partial<Command.Loadable> = {}): Command.Loadable {
  return {id, aliases: [], args: {}, flags: {}, summary: `summary of ${id}`, ...fields} as unknown as Command.Loadable
}

const ls = command('container:list', {aliases: ['container:ls', 'ps'], description: 'List containers\nin detail'})
const config = {
  topics: [{name: 'container', description: 'Manage containers'}],
  commands: [
    ls,
    // oclif lists each alias as a command of its own too
    {...ls, id: 'ps'},
    command('version', {summary: undefined, description: 'Display the version\nin detail'}),
    command('__complete', {hidden: true}),
  ],
} as unknown as Config

test('groups from the topics, each command and alias under its words, help beside them', (t) => {
  const root = commandTree(config)
  t.deepEqual(root.path, [])
  t.is(root.summary, ROOT_SUMMARY)
  t.deepEqual([...root.children.keys()].sort(), ['__complete', 'container', 'help', 'ps', 'version'])
  const group = root.children.get('container')!
  t.is(group.summary, 'Manage containers')
  t.is(group.command, undefined)
  t.deepEqual([...group.children.keys()].sort(), ['list', 'ls'])
  t.is(group.children.get('ls')!.command, ls)
  t.is(root.children.get('ps')!.command, ls)
  t.deepEqual(group.children.get('list')!.path, ['container', 'list'])
  t.is(group.children.get('list')!.description, 'List containers\nin detail')
  t.is(root.children.get('version')!.summary, 'Display the version', 'no summary: the first line of the description')
  t.is(root.children.get('help')!.summary, HELP_SUMMARY)
})

test('a group lists a command once, by its id; hidden commands are not listed', (t) => {
  const root = commandTree(config)
  const group = root.children.get('container')!
  t.falsy(group.children.get('list')!.unlisted)
  t.true(group.children.get('ls')!.unlisted)
  t.falsy(root.children.get('ps')!.unlisted, 'the only name of it at the top')
  t.true(root.children.get('__complete')!.unlisted)
})

test("a group lists a command by its id's word, or by the names it is listed as in Podman", (t) => {
  const volumeLs = command('volume:ls', {aliases: ['volume:list']})
  const imageLs = command('image:ls', {aliases: ['image:list', 'images']})
  Object.assign(imageLs, {listedAs: ['list']})
  const containerLs = command('container:ls', {aliases: ['container:list', 'container:ps']})
  Object.assign(containerLs, {listedAs: ['list', 'ps']})
  const root = commandTree({topics: [], commands: [volumeLs, imageLs, containerLs]} as unknown as Config)
  const listed = (group: string) => [...root.children.get(group)!.children.entries()].filter(([, n]) => !n.unlisted).map(([w]) => w).sort()
  t.deepEqual(listed('volume'), ['ls'])
  t.deepEqual(listed('image'), ['list'])
  t.deepEqual(listed('container'), ['list', 'ps'])
  t.falsy(root.children.get('images')!.unlisted)
})

test('the deepest node the leading words name', (t) => {
  const root = commandTree(config)
  t.deepEqual(findNode(root, ['container', 'ls', '-a']).used, 2)
  t.is(findNode(root, ['container', 'ls', '-a']).node.command, ls)
  const group = findNode(root, ['container', 'nosuch'])
  t.deepEqual([group.node.path, group.used], [['container'], 1])
  t.deepEqual(findNode(root, []).node, root)
})
