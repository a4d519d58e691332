// Error classes to exit statuses, for one command and for the verbs with several targets.
import test from 'ava'

import {exitCodeFor, lastErrorExitCode, removalExitCode, volumeRemovalExitCode} from '../../src/cli/exit-codes'
import {ContainerStartError, ErrorClass, ExecCannotInvokeError, ExecNotFoundError, TspodError, UsageError, errorOfClass} from '../../src/errors'

class Missing extends TspodError {
  override readonly errorClass: ErrorClass = 'NoSuchObject'
}
class Busy extends TspodError {
  override readonly errorClass: ErrorClass = 'InUse'
}

test("one failure: Podman's 125, 126, 127; oclif's exit keeps its code; anything thrown is 125", (t) => {
  t.is(exitCodeFor(new TspodError('x')), 125)
  t.is(exitCodeFor(new UsageError('x')), 125)
  t.is(exitCodeFor(new ExecNotFoundError('x')), 127)
  t.is(exitCodeFor(new ExecCannotInvokeError('x')), 126)
  t.is(exitCodeFor(new ContainerStartError('x')), 126)
  t.is(exitCodeFor(new Missing('x')), 125)
  t.is(exitCodeFor(new Busy('x')), 125)
  t.is(exitCodeFor(new Error('x')), 125)
  t.is(exitCodeFor('a string'), 125)
  t.is(exitCodeFor(Object.assign(new Error('EEXIT: 3'), {code: 'EEXIT', oclif: {exit: 3}})), 3)
  t.is(exitCodeFor(errorOfClass('NotFound', 'x')), 127)
  t.is(exitCodeFor(errorOfClass('CannotInvoke', 'x')), 126)
})

test('several targets: stop, kill, start take the last error; rm and rmi say 2 for in use, 1 when all were missing; volume rm takes the last missing or in use', (t) => {
  t.is(lastErrorExitCode([]), 0)
  t.is(lastErrorExitCode([new ExecNotFoundError('x'), new Missing('y')]), 125)
  t.is(lastErrorExitCode([new Missing('y'), new ExecCannotInvokeError('x')]), 126)

  t.is(removalExitCode([]), 0)
  t.is(removalExitCode([new Missing('a'), new Missing('b')]), 1)
  t.is(removalExitCode([new Missing('a'), new Busy('b'), new TspodError('c')]), 2)
  t.is(removalExitCode([new Missing('a'), new TspodError('c')]), 125)

  t.is(volumeRemovalExitCode([]), 0)
  t.is(volumeRemovalExitCode([new Busy('a'), new Missing('b')]), 1)
  t.is(volumeRemovalExitCode([new Missing('b'), new Busy('a'), new TspodError('c')]), 2)
  t.is(volumeRemovalExitCode([new TspodError('c')]), 125)
})
