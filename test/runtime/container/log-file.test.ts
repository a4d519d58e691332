// The k8s-file container log: entries as Podman writes them, partial lines, tail.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {LogWriter, logTimestamp, parseLogLine, readLogFrom, tailEntries} from '../../../src/runtime/container/log-file'

test('timestamps are RFC 3339 with nanoseconds and the local offset', (t) => {
  t.regex(logTimestamp(new Date()), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d$/)
})

test('a chunk becomes one F entry per complete line and a P entry for the rest; readLogFrom resumes at an offset', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-log-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'ctr.log')
  const log = new LogWriter(file)
  log.write('stdout', Buffer.from('one\ntwo\npar'))
  log.write('stderr', Buffer.from('err\r\n'))
  const first = readLogFrom(file, 0)
  t.deepEqual(first.entries.map((e) => [e.stream, e.partial, e.content]), [
    ['stdout', false, 'one'],
    ['stdout', false, 'two'],
    ['stdout', true, 'par'],
    ['stderr', false, 'err\r'],
  ])
  log.write('stdout', Buffer.from('tial\n'))
  log.close()
  const next = readLogFrom(file, first.offset)
  t.deepEqual(next.entries.map((e) => e.content), ['tial'])
  // the last two lines: "err" and "partial" (whose first part came before "err")
  t.deepEqual(tailEntries([...first.entries, ...next.entries], 2).map((e) => e.content), ['par', 'err\r', 'tial'])
  t.is(tailEntries(first.entries, -1).length, 4)
  t.is(parseLogLine('garbage'), undefined)
  t.deepEqual(readLogFrom(path.join(dir, 'missing'), 0), {entries: [], offset: 0})
})
