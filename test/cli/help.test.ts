// Help in Podman's layout, and the command-line mistakes told in cobra's words (exit 125).
import test from 'ava'
import * as path from 'node:path'

import {argsSynopsis} from '../../src/cli/help/usage'
import {flagUsages} from '../../src/cli/help/render'
import {argCountMessage} from '../../src/cli/parse-errors'
import {programName} from '../../src/cli/program-name'
import {lookupUser, removeTree, runAs, sandbox, tspod, TEST_USER, TSPOD_BIN} from '../helpers/rootless'

const arg = (required = false) => ({required}) as never

test('the synopsis of the arguments comes from their definition', (t) => {
  t.is(argsSynopsis({args: {}, strict: true}), '')
  t.is(argsSynopsis({args: {container: arg(true), name: arg(true)}, strict: true}), 'CONTAINER NAME')
  t.is(argsSynopsis({args: {containers: arg()}, strict: false}), '[CONTAINER...]')
  t.is(argsSynopsis({args: {image: arg(true), command: arg()}, strict: false}), 'IMAGE [COMMAND...]')
  t.is(argsSynopsis({args: {image: arg(true)}, strict: false}), 'IMAGE [IMAGE...]')
  t.is(argsSynopsis({args: {container: arg(), port: arg()}, strict: true}), '[CONTAINER] [PORT]')
})

test('flags are listed as pflag lists them, descriptions in one column', (t) => {
  const text = flagUsages([
    {name: 'all', char: 'a', type: 'boolean', description: 'Show all'},
    {name: 'format', type: 'option', description: 'Format output', default: 'json'},
    {name: 'filter', type: 'option', multiple: true, description: 'Filter output'},
  ] as never)
  t.is(text, ['  -a, --all              Show all', '      --format string    Format output (default "json")', '      --filter strings   Filter output'].join('\n'))
})

test('a wrong number of arguments in cobra words', (t) => {
  t.is(argCountMessage({args: {}, strict: true, flags: {}}, ['info'], 1), `\`${programName()} info\` takes no arguments`)
  t.is(argCountMessage({args: {a: arg(true), b: arg(true)}, strict: true, flags: {}}, ['rename'], 3), 'accepts 2 arg(s), received 3')
  t.is(argCountMessage({args: {a: arg(), b: arg()}, strict: true, flags: {}}, ['port'], 3), 'accepts at most 2 arg(s), received 3')
  t.is(argCountMessage({args: {a: arg(true), b: arg()}, strict: true, flags: {}}, ['x'], 3), 'accepts between 1 and 2 arg(s), received 3')
  t.is(argCountMessage({args: {a: arg(true)}, strict: false, flags: {}}, ['save'], 0), 'requires at least 1 arg(s), only received 0')
})

test('tspod names itself by the name it was started as', (t) => {
  t.is(programName('/repo/bin/run.js'), 'tspod')
  t.is(programName('/usr/local/bin/podman'), 'podman')
  t.is(programName(''), 'tspod')
})

test('the CLI: help layouts, groups without a subcommand, unknown commands and flags, argument counts', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  const run = (args: string[]) => tspod(box, args)
  try {
    for (const helpArgs of [['--help'], ['-h'], ['help']]) {
      const r = await run(helpArgs)
      t.is(r.code, 0, helpArgs.join(' '))
      t.regex(r.stdout, /^Manage .*\n\nUsage:\n  tspod \[options\] \[command\]\n\nAvailable Commands:\n(  \S+ +.*\n)+\nOptions:\n/, helpArgs.join(' '))
      t.regex(r.stdout, /\n  help {8}Help about any command\n/)
      t.regex(r.stdout, /\n  image {7}Manage images\n/)
    }
    const group = await run(['image'])
    t.is(group.code, 125)
    t.regex(group.stdout, /^Manage images\n\nDescription:\n  Manage images\n\nUsage:\n  tspod image \[command\]\n\nAvailable Commands:\n/)
    t.is(group.stderr, "Error: missing command 'tspod image COMMAND'\n")
    const bare = await run([])
    t.is(bare.code, 125)
    t.is(bare.stderr, "Error: missing command 'tspod COMMAND'\n")

    const ps = await run(['ps', '--help'])
    t.is(ps.code, 0)
    t.regex(ps.stdout, /\nUsage:\n  tspod ps \[options\]\n\n/)
    t.regex(ps.stdout, /\nOptions:\n  -a, --all +\S/)
    t.notRegex(ps.stdout, /--root/, 'the global flags are the root help\'s')
    const tag = await run(['help', 'image', 'tag'])
    t.regex(tag.stdout, /\nUsage:\n  tspod image tag IMAGE \[TARGET\.\.\.\]\n/)
    t.notRegex(tag.stdout, /Options:/, 'no options of its own: no Options section')

    const cases: Array<[string[], string]> = [
      [['info', 'extra'], 'Error: `tspod info` takes no arguments\n'],
      [['rename', 'a', 'b', 'c'], 'Error: accepts 2 arg(s), received 3\n'],
      [['rename'], 'Error: accepts 2 arg(s), received 0\n'],
      [['nosuchcommand'], "Error: unrecognized command `tspod nosuchcommand`\nTry 'tspod --help' for more information\n"],
      [['image', 'nosuch'], "Error: unrecognized command `tspod image nosuch`\nTry 'tspod image --help' for more information\n"],
      [['bad', '--invalid'], "Error: unknown flag: --invalid\nSee 'tspod --help'\n"],
      [['run', '-h'], "Error: flag needs an argument: 'h' in -h\nSee 'tspod run --help'\n"],
      [['info', '--format'], "Error: flag needs an argument: --format\nSee 'tspod info --help'\n"],
      [['ps', '--nosuch'], "Error: unknown flag: --nosuch\nSee 'tspod ps --help'\n"],
    ]
    for (const [args, stderr] of cases) {
      const r = await run(args)
      t.is(r.code, 125, args.join(' '))
      t.is(r.stderr, stderr, args.join(' '))
    }
  } finally {
    removeTree(box.dir)
  }
})

test('started by another name (a link), it uses that name', async (t) => {
  const user = lookupUser(TEST_USER)
  const box = sandbox(user)
  try {
    const link = path.join(box.dir, 'podman')
    require('node:fs').symlinkSync(TSPOD_BIN, link)
    const r = await runAs(user, [process.execPath, '--', link, 'image', 'nosuch'], {env: box.env})
    t.is(r.stderr, "Error: unrecognized command `podman image nosuch`\nTry 'podman image --help' for more information\n")
  } finally {
    removeTree(box.dir)
  }
})
