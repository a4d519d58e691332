// oclif's parse errors in cobra's and pflag's words; the CLI telling them as the rootless user (exit 125).
import test from 'ava'
import {Args, Errors, Flags, Parser} from '@oclif/core'

import {CommandLineError} from '../../src/cli/command-line-error'
import {argCountMessage, translateParseError} from '../../src/cli/parse-errors'
import {programName} from '../../src/cli/program-name'
import {lookupUser, removeTree, sandbox, tspod, TEST_USER} from '../helpers/rootless'

const arg = (required = false) => ({required}) as never

test('a wrong number of arguments in cobra words', (t) => {
  t.is(argCountMessage({args: {}, strict: true, flags: {}}, ['info'], 1), `\`${programName()} info\` takes no arguments`)
  t.is(argCountMessage({args: {a: arg(true), b: arg(true)}, strict: true, flags: {}}, ['rename'], 3), 'accepts 2 arg(s), received 3')
  t.is(argCountMessage({args: {a: arg(), b: arg()}, strict: true, flags: {}}, ['port'], 3), 'accepts at most 2 arg(s), received 3')
  t.is(argCountMessage({args: {a: arg(true), b: arg()}, strict: true, flags: {}}, ['x'], 3), 'accepts between 1 and 2 arg(s), received 3')
  t.is(argCountMessage({args: {a: arg(true)}, strict: false, flags: {}}, ['save'], 0), 'requires at least 1 arg(s), only received 0')
})

const spec = {
  args: {container: Args.string({required: true}), name: Args.string({required: true})},
  strict: true,
  flags: {
    hostname: Flags.string({char: 'h'}),
    format: Flags.string(),
    sort: Flags.string({options: ['name', 'size']}),
  },
}

/** The error oclif's parser throws for argv, translated as for the command at `path`. */
async function translated(argv: string[], path = ['rename']): Promise<unknown> {
  try {
    await Parser.parse(argv, spec)
  } catch (err) {
    return translateParseError(err, spec, path, argv)
  }
  throw new Error(`${argv.join(' ')} parsed`)
}

async function told(argv: string[]): Promise<string> {
  const err = await translated(argv)
  if (!(err instanceof CommandLineError)) return `not translated: ${String(err)}`
  return err.followUp ? `${err.message} | ${err.followUp}` : err.message
}

test("oclif's parse errors in cobra's and pflag's words, with where to look", async (t) => {
  const see = `See '${programName()} rename --help'`
  t.is(await told(['a', 'b', 'c']), 'accepts 2 arg(s), received 3')
  t.is(await told(['a']), 'accepts 2 arg(s), received 1')
  t.is(await told(['a', 'b', '--nosuch']), `unknown flag: --nosuch | ${see}`)
  t.is(await told(['a', 'b', '--format']), `flag needs an argument: --format | ${see}`)
  t.is(await told(['a', 'b', '-h']), `flag needs an argument: 'h' in -h | ${see}`)
  t.is(await told(['a', 'b', '--sort=age']), `invalid argument "age" for "--sort" flag: expected one of name, size | ${see}`)
})

test('any other error is left as it is', (t) => {
  const other = new Error('disk full')
  t.is(translateParseError(other, spec, ['rename'], []), other)
  t.is(translateParseError('text', spec, ['rename'], []), 'text')
  const cli = new Errors.CLIError('Something else')
  t.is(translateParseError(cli, spec, ['rename'], []), cli)
})

test('the CLI: argument counts and flag errors, exit 125', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  try {
    const cases: Array<[string[], string]> = [
      [['info', 'extra'], 'Error: `podman info` takes no arguments\n'],
      [['rename', 'a', 'b', 'c'], 'Error: accepts 2 arg(s), received 3\n'],
      [['rename'], 'Error: accepts 2 arg(s), received 0\n'],
      [['run', '-h'], "Error: flag needs an argument: 'h' in -h\nSee 'podman run --help'\n"],
      [['info', '--format'], "Error: flag needs an argument: --format\nSee 'podman info --help'\n"],
      [['ps', '--nosuch'], "Error: unknown flag: --nosuch\nSee 'podman ps --help'\n"],
    ]
    for (const [args, stderr] of cases) {
      const r = await tspod(box, args)
      t.is(r.code, 125, args.join(' '))
      t.is(r.stderr, stderr, args.join(' '))
    }
  } finally {
    removeTree(box.dir)
  }
})
