import test from 'ava'

import {BuildStepError} from '../../src/build/step-error'
import {TspodError} from '../../src/errors'

test('a failed step carries the command\'s exit code', (t) => {
  const err = new BuildStepError('building at STEP "RUN false": while running runtime: exit status 1', 1)
  t.true(err instanceof TspodError)
  t.is(err.exitCode, 1)
})
