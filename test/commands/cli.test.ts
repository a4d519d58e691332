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
  t.regex(r.stdout, /\n {6}--root string +Path/, 'the global flags are on the root help')
  const infoHelp = await tspod(box, ['info', '--help'])
  t.regex(infoHelp.stdout, /--format/)
  t.notRegex(infoHelp.stdout, /--root/)
})

test('the remote-client flags: offered by --help, taken before the command only, refused for a command (tspod has no remote client)', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  t.regex((await tspod(box, ['--help'])).stdout, /\n {2}-r, --remote +Access remote Podman service/)
  t.notRegex((await tspod(box, ['--url', 'unix:/x.sock', '--help'])).stdout, / --remote /)
  const byEnv = await tspod(box, ['--help'], {env: {CONTAINER_HOST: 'foobar'}})
  t.deepEqual([byEnv.code, / --remote /.test(byEnv.stdout)], [0, false])
  const bare = await tspod(box, ['--remote'])
  t.is(bare.code, 125)
  t.regex(bare.stdout, /\nUsage:\n {2}podman \[options\] \[command\]\n/)
  const run = await tspod(box, ['--log-level=error', '--remote', 'version'])
  t.deepEqual([run.code, run.stdout, run.stderr], [125, '', 'Error: tspod has no remote client to reach a Podman service (asked for by --remote): run tspod without it\n'])
  const after = await tspod(box, ['version', '--remote'])
  t.deepEqual([after.code, after.stderr], [125, "Error: unknown flag: --remote\nSee 'podman version --help'\n"])
})

const BAD_INPUT: [string[], string][] = [
  [['frobnicate'], "Error: unrecognized command `podman frobnicate`\nTry 'podman --help' for more information\n"],
  [['info', '--bogus'], "Error: unknown flag: --bogus\nSee 'podman info --help'\n"],
  [['info', '--format'], "Error: flag needs an argument: --format\nSee 'podman info --help'\n"],
  [['info', 'extra'], 'Error: `podman info` takes no arguments\n'],
  [['pull'], 'Error: accepts 1 arg(s), received 0\n'],
  [['images', '--filter', 'nosuch=1'], 'Error: unsupported image filter "nosuch"\n'],
  [['rmi'], 'Error: image name or ID must be specified\n'],
  [['kill', '-s', '-', 'nosuch'], 'Error: invalid signal: \n'],
  ...['kill', 'stop', 'restart', 'start', 'rm', 'port'].map((verb): [string[], string] => [[verb, '--all', '--latest'], 'Error: --all and --latest cannot be used together\n']),
  [['info', '--format', '{{.Host.Kernel'], ''],
  [['info', '--root', 'relative'], 'Error: graph root must be an absolute path: "relative"\n'],
]

for (const [args, stderr] of BAD_INPUT) {
  test(`bad input exits 125 with one error line (a flag's or a command's with where to look next): tspod ${args.join(' ')}`, async (t) => {
    const box = sandbox(lookupUser(TEST_USER))
    t.teardown(() => removeTree(box.dir))
    const r = await tspod(box, args)
    t.is(r.code, 125)
    t.is(r.stdout, '')
    t.regex(r.stderr, /^Error: [^\n]+\n(See '[^'\n]+ --help'\n|Try '[^'\n]+ --help' for more information\n)?$/)
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

test('create --stop-signal is parsed as kill -s: a bad one is refused before anything is made', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  for (const [given, error] of [['99', 'Error: valid signals are 1 through 64\n'], ['SIGBOGUS', 'Error: invalid signal: SIGBOGUS\n']]) {
    const r = await tspod(box, ['create', `--stop-signal=${given}`, 'no-such-image'])
    t.deepEqual([r.code, r.stderr], [125, error], given)
  }
})
