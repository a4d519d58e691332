// A command-line mistake: a usage error (exit 125) that may name where to look next.
import test from 'ava'

import {CommandLineError, seeHelp} from '../../src/cli/command-line-error'
import {exitCodeFor} from '../../src/cli/exit-codes'
import {programName} from '../../src/cli/program-name'
import {UsageError} from '../../src/errors'

test('a usage error, exit 125, with its follow-up line when it has one', (t) => {
  const err = new CommandLineError('unknown flag: --nosuch', "See 'podman ps --help'")
  t.true(err instanceof UsageError)
  t.is(err.message, 'unknown flag: --nosuch')
  t.is(err.followUp, "See 'podman ps --help'")
  t.is(exitCodeFor(err), 125)
  t.is(new CommandLineError('missing command').followUp, undefined)
})

test("pflag's line pointing at the help of the command as typed", (t) => {
  t.is(seeHelp(['container', 'ls']), `See '${programName()} container ls --help'`)
  t.is(seeHelp([]), `See '${programName()} --help'`)
})
