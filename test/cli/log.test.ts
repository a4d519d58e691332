// --log-level and --debug: Podman's levels, its exit status 1 for a bad one, logrus's line format.
import test from 'ava'

import {isLogLevel, logEnabled, setLogLevel} from '../../src/cli/log'
import {lookupUser, removeTree, sandbox, tspod, TEST_USER} from '../helpers/rootless'

test('each level lets through itself and the levels above it', (t) => {
  t.true(isLogLevel('warning'))
  t.false(isLogLevel('telepathic'))
  setLogLevel('info')
  t.true(logEnabled('info'))
  t.false(logEnabled('debug'))
  setLogLevel('trace')
  t.true(logEnabled('trace'))
  setLogLevel('warn')
  t.false(logEnabled('info'))
})

test('the CLI: a bad level exits 1, --debug with --log-level too; trace shows trace, debug and info lines', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  try {
    const bad = await tspod(box, ['--log-level=telepathic', 'version'])
    t.is(bad.code, 1)
    t.regex(bad.stderr, /^Log Level "telepathic" is not supported, choose from: trace, debug, info, warn, warning, error, fatal, panic\n$/)
    const both = await tspod(box, ['--debug', '--log-level=panic', 'version'])
    t.is(both.code, 1)
    t.is(both.stderr, 'Setting --log-level and --debug is not allowed\n')

    const trace = await tspod(box, ['--log-level=trace', 'version'])
    t.is(trace.code, 0, trace.stderr)
    for (const level of ['trace', 'debug', 'info']) t.regex(trace.stderr, new RegExp(`^time="[^"]+" level=${level} msg=".*"$`, 'm'), level)
    const debug = await tspod(box, ['-D', 'version'])
    t.regex(debug.stderr, / level=debug /)
    t.notRegex(debug.stderr, / level=trace /)
    const warn = await tspod(box, ['--log-level=warning', 'version'])
    t.notRegex(warn.stderr, / level=/)
  } finally {
    removeTree(box.dir)
  }
})
