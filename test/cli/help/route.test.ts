// What a command line asks for before any command runs: help, a group without its subcommand,
// an unknown command or flag, or the command to run; and the CLI doing it as the rootless user.
import test from 'ava'
import type {Command, Config} from '@oclif/core'

import {CommandLineError} from '../../../src/cli/command-line-error'
import {commandTree} from '../../../src/cli/help/command-tree'
import {asksForHelp, route} from '../../../src/cli/help/route'
import {programName} from '../../../src/cli/program-name'
import {lookupUser, removeTree, sandbox, tspod, TEST_USER} from '../../helpers/rootless'

const bin = programName()

function command(id: string, flags: Record<string, unknown> = {}): Command.Loadable {
  return {id, aliases: [], args: {}, flags, strict: false, summary: `summary of ${id}`} as unknown as Command.Loadable
}

const run = command('container:run', {hostname: {type: 'option', char: 'h'}, name: {type: 'option'}})
const ls = command('image:list', {all: {type: 'boolean', char: 'a'}})
const root = commandTree({topics: [{name: 'image', description: 'Manage images'}], commands: [run, ls]} as unknown as Config)
const flagsEndAtFirstArg = (c: Command.Loadable) => c === run
const routeOf = (argv: string[]) => route(root, argv, flagsEndAtFirstArg)

test('--help or -h asks for help unless the command has its own -h, up to where its flags end', (t) => {
  t.true(asksForHelp(ls, ['--help'], false))
  t.true(asksForHelp(ls, ['-a', '-h'], false))
  t.false(asksForHelp(run, ['-h', 'box'], true), '-h is --hostname')
  t.true(asksForHelp(run, ['--help'], true))
  t.false(asksForHelp(run, ['busybox', '--help'], true), "the container's flag")
  t.false(asksForHelp(run, ['--name', '--help'], true), "a flag's value")
  t.false(asksForHelp(ls, ['--', '--help'], false))
})

test('a command runs with the words after its name', (t) => {
  const r = routeOf(['container', 'run', '--name', 'x', 'busybox'])
  t.is(r.kind, 'run')
  if (r.kind !== 'run') return
  t.is(r.command, run)
  t.deepEqual(r.node.path, ['container', 'run'])
  t.deepEqual(r.args, ['--name', 'x', 'busybox'])
})

test('help of a command, a group and the root; help as a command, and an unknown topic', (t) => {
  const help = (argv: string[]) => {
    const r = routeOf(argv)
    return r.kind === 'print' ? r.text : `not printed: ${r.kind}`
  }
  t.regex(help(['image', 'list', '--help']), /^summary of image:list\n\nDescription:\n/)
  t.regex(help(['image', '-h']), /^Manage images\n/)
  t.regex(help(['--help']), /\nUsage:\n  \S+ \[options\] \[command\]\n/)
  t.is(help(['help', 'image', 'list']), help(['image', 'list', '--help']))
  t.is(help(['help']), help(['--help']))
  t.regex(help(['help', 'nosuch']), /^Unknown help topic \[`nosuch`\]\nUsage:\n/)
})

test('a group without its subcommand, an unknown command or flag fail with cobra words', (t) => {
  const failure = (argv: string[]) => {
    const r = routeOf(argv)
    if (r.kind !== 'fail') return `not failed: ${r.kind}`
    t.true(r.error instanceof CommandLineError)
    return [r.error.message, r.error.followUp, r.text === undefined ? 'no text' : 'text'].join(' | ')
  }
  t.is(failure(['image']), `missing command '${bin} image COMMAND' |  | text`)
  t.is(failure([]), `missing command '${bin} COMMAND' |  | text`)
  t.is(failure(['image', 'nosuch']), `unrecognized command \`${bin} image nosuch\` | Try '${bin} image --help' for more information | no text`)
  t.is(failure(['nosuch', '--invalid']), `unknown flag: --invalid | See '${bin} --help' | no text`)
  t.is(failure(['image', '-x']), `unknown shorthand flag: 'x' in -x | See '${bin} image --help' | no text`)
})

test('the CLI: help layouts, groups without a subcommand, unknown commands and flags', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  const cli = (args: string[]) => tspod(box, args)
  try {
    for (const helpArgs of [['--help'], ['-h'], ['help']]) {
      const r = await cli(helpArgs)
      t.is(r.code, 0, helpArgs.join(' '))
      t.regex(r.stdout, /^Manage .*\n\nUsage:\n  podman \[options\] \[command\]\n\nAvailable Commands:\n(  \S+ +.*\n)+\nOptions:\n/, helpArgs.join(' '))
      t.regex(r.stdout, /\n  help {8}Help about any command\n/)
      t.regex(r.stdout, /\n  image {7}Manage images\n/)
    }
    const group = await cli(['image'])
    t.is(group.code, 125)
    t.regex(group.stdout, /^Manage images\n\nDescription:\n  Manage images\n\nUsage:\n  podman image \[command\]\n\nAvailable Commands:\n/)
    t.is(group.stderr, "Error: missing command 'podman image COMMAND'\n")
    const bare = await cli([])
    t.is(bare.code, 125)
    t.is(bare.stderr, "Error: missing command 'podman COMMAND'\n")

    const ps = await cli(['ps', '--help'])
    t.is(ps.code, 0)
    t.regex(ps.stdout, /\nUsage:\n  podman ps \[options\]\n\n/)
    t.regex(ps.stdout, /\nOptions:\n  -a, --all +\S/)
    t.notRegex(ps.stdout, /--root/, 'the global flags are the root help\'s')
    const tag = await cli(['help', 'image', 'tag'])
    t.regex(tag.stdout, /\nUsage:\n  podman image tag IMAGE \[TARGET\.\.\.\]\n/)
    t.notRegex(tag.stdout, /Options:/, 'no options of its own: no Options section')

    const cases: Array<[string[], string]> = [
      [['nosuchcommand'], "Error: unrecognized command `podman nosuchcommand`\nTry 'podman --help' for more information\n"],
      [['image', 'nosuch'], "Error: unrecognized command `podman image nosuch`\nTry 'podman image --help' for more information\n"],
      [['bad', '--invalid'], "Error: unknown flag: --invalid\nSee 'podman --help'\n"],
    ]
    for (const [args, stderr] of cases) {
      const r = await cli(args)
      t.is(r.code, 125, args.join(' '))
      t.is(r.stderr, stderr, args.join(' '))
    }
  } finally {
    removeTree(box.dir)
  }
})
