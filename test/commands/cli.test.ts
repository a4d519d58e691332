// The CLI's contract with scripts: version, help, and one-line errors with exit code 125.
import test from 'ava'

import {TEST_USER, lookupUser, removeTree, sandbox, tspod} from '../helpers/rootless'

const version: string = require('../../../package.json').version

test('--version prints Podman-style "tspod version X"', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  for (const flag of ['--version', '-v']) {
    const r = await tspod(box, [flag])
    t.is(r.code, 0)
    t.is(r.stdout, `tspod version ${version}\n`)
  }
})

test('--help lists the commands that exist', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const r = await tspod(box, ['--help'])
  t.is(r.code, 0)
  t.regex(r.stdout, /\n {2}info +Display tspod related system information/)
  const infoHelp = await tspod(box, ['info', '--help'])
  t.regex(infoHelp.stdout, /--format/)
  t.regex(infoHelp.stdout, /--root/)
})

const BAD_INPUT: [string[], string][] = [
  [['frobnicate'], 'Error: unrecognized command `tspod frobnicate`\n'],
  [['info', '--bogus'], 'Error: unknown flag: --bogus\n'],
  [['--log-level', 'loud', 'info'], 'Error: invalid argument "loud" for "--log-level" flag: expected one of trace, debug, info, warn, error, fatal, panic\n'],
  [['info', '--format'], 'Error: flag needs an argument: --format\n'],
  [['info', 'extra'], 'Error: accepts no arguments, received: extra\n'],
  [['pull'], 'Error: requires at least 1 arg(s), only received 0\n'],
  [['images', '--filter', 'nosuch=1'], 'Error: unsupported image filter "nosuch"\n'],
  [['rmi'], 'Error: image name or ID must be specified\n'],
  [['info', '--format', '{{.Host.Kernel'], ''],
  [['info', '--root', 'relative'], 'Error: graph root must be an absolute path: "relative"\n'],
]

for (const [args, stderr] of BAD_INPUT) {
  test(`bad input exits 125 with one line: tspod ${args.join(' ')}`, async (t) => {
    const box = sandbox(lookupUser(TEST_USER))
    t.teardown(() => removeTree(box.dir))
    const r = await tspod(box, args)
    t.is(r.code, 125)
    t.is(r.stdout, '')
    t.regex(r.stderr, /^Error: [^\n]+\n$/)
    if (stderr) t.is(r.stderr, stderr)
  })
}

test('version prints the client block, and formats like Podman', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const plain = await tspod(box, ['version'])
  t.regex(plain.stdout, new RegExp(`^Version: +${version.replace(/\./g, '\\.')}\\n`))
  t.is((await tspod(box, ['version', '--format', '{{.Client.Version}}'])).stdout, `${version}\n`)
  t.is(JSON.parse((await tspod(box, ['version', '--format', 'json'])).stdout).Client.Version, version)
})
