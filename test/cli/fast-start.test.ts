// The fast start path against oclif's: for every command of the manifest, under each name it has,
// and a table of command-line forms, the fast path runs the same command with the same words for
// oclif's parser as the full path (oclif's Config, the command tree, route.ts), or leaves the
// command line to the full path. Both give those words to oclif's own parser, so equal words are
// equal parses.
import {type Command, Config} from '@oclif/core'
import test from 'ava'

import {flagsEndAtFirstArg, prepareArgs} from '../../src/cli/command-args'
import {readCommandTable} from '../../src/cli/command-table'
import {COMMANDS} from '../../src/cli/commands'
import {fastTarget} from '../../src/cli/fast-start'
import {splitLeadingGlobals} from '../../src/cli/global-flags'
import {type Node, commandTree} from '../../src/cli/help/command-tree'
import {route} from '../../src/cli/help/route'
import {takeRemoteFlags} from '../../src/cli/remote'
import {REPO} from '../helpers/rootless'

function nodes(node: Node): Node[] {
  return [node, ...[...node.children.values()].flatMap(nodes)]
}

/** Command-line forms built from the command's own flags: each spelling pflag accepts, help, errors. */
function forms(command: Command.Loadable): string[][] {
  const flags = Object.entries(command.flags).filter(([name]) => !['root', 'runroot', 'log-level'].includes(name))
  const option = flags.find(([, f]) => f.type === 'option' && !f.multiple)
  const multiple = flags.find(([, f]) => f.type === 'option' && f.multiple)
  const boolean = flags.find(([, f]) => f.type === 'boolean' && f.char)
  const plain = flags.find(([, f]) => f.type === 'boolean' && !f.char)
  const all: string[][] = [
    [], ['x'], ['x', 'y', 'x'], ['--', '-x', '--help'], ['x', '--', 'y'], ['-'], ['--help'], ['-h'], ['x', '--help'], ['x', '-h'],
    ['--bogus'], ['--bogus=1', 'x'], ['-Z'], ['--root', '/r', 'x'], ['--root=/r', '--log-level', 'debug', 'x'], ['--noout', 'x'],
    ['--storage-opt', 'a', '--storage-opt=b'], ['x', '--root', '/r', 'y'], ['--log-level'], ['help'], ['nope', '-a'],
  ]
  if (option) {
    const [name, f] = option
    all.push([`--${name}`, 'v', 'x'], [`--${name}=v`, 'x'], [`--${name}`, 'a', `--${name}`, 'b', 'x'], [`--${name}=a`, 'x', `--${name}`, 'b'], ['x', `--${name}`], [`--${name}`, '--help'])
    if (f.char) all.push([`-${f.char}`, 'v', 'x'], [`-${f.char}v`, 'x'], [`-${f.char}=v`], [`-${f.char}`, 'a', `-${f.char}`, 'b'])
  }
  if (multiple) all.push([`--${multiple[0]}`, 'a', `--${multiple[0]}=b`, 'x'])
  if (boolean) {
    const [name, f] = boolean
    all.push([`--${name}=false`, 'x'], [`--${name}=true`], [`--${name}=T`, 'x'], [`-${f.char}=false`], [`-${f.char}=1`, 'x'], [`-${f.char}`, 'x'])
    if (option?.[1].char) all.push([`-${f.char}${option[1].char}`, 'v', 'x'], [`-${f.char}${option[1].char}v`])
  }
  if (plain) all.push([`--${plain[0]}=false`], [`--${plain[0]}=0`, 'x'], [`--${plain[0]}`, '--', 'x'])
  return all
}

type Expected = {id: string; path: string[]; argv: string[]} | undefined

/** What oclif's full path (main.ts fullStart) runs for argv. */
function fullPath(tree: Node, argv: string[]): Expected {
  const remote = takeRemoteFlags(argv, {})
  const {globals, rest} = splitLeadingGlobals(remote.argv)
  const target = route(tree, rest, flagsEndAtFirstArg)
  if (target.kind !== 'run' || remote.by !== undefined) return undefined
  return {id: target.command.id, path: target.node.path, argv: prepareArgs(target.command, globals, target.args)}
}

/** Commands that the fast path leaves to oclif's config (fast-start.ts). */
const LEFT_TO_OCLIF = new Set(['__complete', 'version'])

test("every command under every name, in every form: the fast path runs what oclif's path runs, or leaves it to it", async (t) => {
  const table = readCommandTable(REPO)
  if (!table) return t.fail('no dist/command-table.json: npm run build:bundle writes it')
  const tree = commandTree(await Config.load(REPO))
  const load = (id: string) => COMMANDS[id]
  let compared = 0
  let fast = 0
  const names = nodes(tree).filter((n) => n.path.length > 0)
  for (const node of names) {
    const command = node.command ?? {id: '', flags: {}} as unknown as Command.Loadable
    for (const form of forms(command)) {
      for (const leading of [[], ['--root', '/r', '--debug'], ['--log-level=info'], ['--remote'], ['--connection', 'c']]) {
        const argv = [...leading, ...node.path, ...form]
        const expected = fullPath(tree, argv)
        const got = fastTarget(table, argv, load, {})
        compared++
        if (got) {
          fast++
          t.deepEqual({id: got.id, path: got.path, argv: got.argv}, expected, argv.join(' '))
          t.is(got.command, COMMANDS[got.id])
        } else if (expected && !LEFT_TO_OCLIF.has(expected.id)) {
          t.fail(`the fast path left a command it can run: ${argv.join(' ')}`)
        }
      }
    }
  }
  t.log(`${fast} of ${compared} command lines took the fast path`)
  t.true(fast > 1000)
})

test('the environment: a remote service, or oclif DEBUG output, goes to oclif path', (t) => {
  const table = readCommandTable(REPO)!
  const load = (id: string) => COMMANDS[id]
  t.truthy(fastTarget(table, ['images'], load, {}))
  t.is(fastTarget(table, ['images'], load, {CONTAINER_HOST: 'unix:///x'}), undefined)
  t.is(fastTarget(table, ['images'], load, {DEBUG: '*'}), undefined)
  t.is(fastTarget(table, ['help', 'images'], load, {}), undefined)
  t.is(fastTarget(table, ['version'], load, {}), undefined)
})
