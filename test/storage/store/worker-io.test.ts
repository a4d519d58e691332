// How a layer worker that died is described: its exit and the line that names the error.
import test from 'ava'

import {workerFailure} from '../../../src/storage/store/worker-io'

test("an uncaught error's message is named, not the first line of its stack", (t) => {
  const stderr = 'node:internal/process/task_queues:95\n    runMicrotasks();\n    ^\n\nError: Size mismatch\n    at Sink._final (x.js:1:2)\n'
  t.is(workerFailure({code: 1, signal: null}, stderr), 'worker failed (exit status 1): Error: Size mismatch')
  t.is(workerFailure({code: 1, signal: null}, "TypeError [ERR_X]: bad\n"), 'worker failed (exit status 1): TypeError [ERR_X]: bad')
})

test('a signal or a plain message; nothing when stderr is empty', (t) => {
  t.is(workerFailure({code: null, signal: 'SIGKILL'}, ''), 'worker failed (killed by SIGKILL)')
  t.is(workerFailure({code: 2, signal: null}, 'out of space\n'), 'worker failed (exit status 2): out of space')
})
