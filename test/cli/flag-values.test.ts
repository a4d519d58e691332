// @userns
// Values that look like flags, taken as pflag takes them: `--name -q`, `--hostname=-q`, `-e -x`.
import test from 'ava'
import {Args, Flags, Parser} from '@oclif/core'

import type {FlagShape} from '../../src/cli/command-args'
import {markFlagLikeValues, unmarkText, unmarkValue, unmarkingFlags} from '../../src/cli/flag-values'
import {sandboxWithImages} from '../helpers/image-sandbox'
import {tspod} from '../helpers/rootless'

const RUN: Record<string, FlagShape> = {
  name: {type: 'option'},
  hostname: {type: 'option', char: 'h'},
  env: {type: 'option', char: 'e', multiple: true},
  interactive: {type: 'boolean', char: 'i'},
  tty: {type: 'boolean', char: 't'},
  quiet: {type: 'boolean', char: 'q'},
  'log-opt': {type: 'option', aliases: ['log-opts']},
}

/** markFlagLikeValues with the mark shown as '^'. */
function shown(argv: string[], endAtFirstArg = false): string[] {
  return markFlagLikeValues(RUN, argv, endAtFirstArg).map((a) => a.replaceAll('\u0000', '^'))
}

test('the value of a flag that takes one is marked wherever it starts with -', (t) => {
  t.deepEqual(shown(['--name', '-q', '--hostname=-q', '-e', '-x']), ['--name', '^-q', '--hostname=^-q', '-e', '^-x'])
  t.deepEqual(shown(['--name', '--rm', '--log-opts', '-a']), ['--name', '^--rm', '--log-opts', '^-a'])
  t.deepEqual(shown(['-h-q', '-h=-q', '-it', '-ite', '-x', '-ith-q', '-qe=-y']), ['-h^-q', '-h=^-q', '-it', '-ite', '^-x', '-ith^-q', '-qe=^-y'])
  t.deepEqual(shown(['--name', 'plain', '-e', 'A=-x', '--hostname=h']), ['--name', 'plain', '-e', 'A=-x', '--hostname=h'])
})

test('booleans, unknown flags, `--` and a missing value are left alone', (t) => {
  t.deepEqual(shown(['-q', '--quiet', '--nosuch', '-z', '-x']), ['-q', '--quiet', '--nosuch', '-z', '-x'])
  t.deepEqual(shown(['--', '--name', '-q']), ['--', '--name', '-q'])
  t.deepEqual(shown(['--name']), ['--name'])
  t.deepEqual(shown(['img', '--name', '-q']), ['img', '--name', '^-q'])
})

test("run's flags end at its first argument: the container's command is not touched", (t) => {
  t.deepEqual(shown(['--name', '-q', 'img', 'sh', '--name', '-q'], true), ['--name', '^-q', 'img', 'sh', '--name', '-q'])
})

test('unmarked: a value, a message', (t) => {
  const [, value] = markFlagLikeValues(RUN, ['--name', '-q'], false)
  t.is(unmarkValue(value), '-q')
  t.is(unmarkValue('-q'), '-q')
  t.is(unmarkText(`Expected --x=${value} to be one of: a`), 'Expected --x=-q to be one of: a')
})

test("oclif's parser takes the marked values, and each flag's parse gets them as typed", async (t) => {
  const flags = {
    name: Flags.string(),
    quiet: Flags.boolean({char: 'q'}),
    env: Flags.string({char: 'e', multiple: true}),
    size: Flags.integer(),
    hostname: Flags.string({char: 'h', parse: async (v) => `host:${v}`}),
  }
  const shapes = flags as unknown as Record<string, FlagShape>
  const argv = markFlagLikeValues(shapes, ['--name', '-q', '-e', '-q', '-e=--x', '--size=-3', '-h-q', 'arg'], false)
  const out = await Parser.parse(argv, {flags: unmarkingFlags(flags), args: {a: Args.string()}, strict: true})
  t.deepEqual(out.flags, {name: '-q', env: ['-q', '--x'], size: -3, hostname: 'host:-q'})
  t.is(out.args.a, 'arg')
  t.is(unmarkingFlags(flags), unmarkingFlags(flags))
  await t.throwsAsync(Parser.parse(['--name', '-q'], {flags, args: {}, strict: true}), {message: /expects a value/})
})

test('the CLI: create and exec take values that look like their own flags; a missing value is still an error', async (t) => {
  const box = await sandboxWithImages(t)
  const c = await tspod(box, ['create', '--name', 'dash', '--hostname=-q', '-e', '-x', '-e', 'A=-q', '--label', '--rm', 'busybox', 'top'])
  t.is(c.code, 0, c.stderr)
  const inspect = await tspod(box, ['inspect', '--format', '{{.Config.Hostname}} {{index .Config.Labels "--rm"}}', 'dash'])
  t.is(inspect.stdout, '-q \n')
  t.is((await tspod(box, ['start', 'dash'])).code, 0)
  const ok = await tspod(box, ['exec', '--env', '-i', '-e', 'B=-i', 'dash', 'sh', '-c', 'echo $A $B'])
  t.is(ok.stdout, '-q -i\n', ok.stderr)
  const missing = await tspod(box, ['create', 'busybox', '--name'])
  t.is(missing.code, 0, 'after the image, --name is the container command')
  const none = await tspod(box, ['create', '--name'])
  t.is(none.code, 125)
  t.is(none.stderr, "Error: flag needs an argument: --name\nSee 'podman create --help'\n")
  t.is((await tspod(box, ['rm', '-af', '-t', '0'])).code, 0)
})
