// The k8s-file container log: entries as Podman writes them, partial lines, the size limit, and
// reading it forward, backwards (--tail) and on across a restart of the log.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {LogEntry, LogWriter, logTimestamp, parseLogLine} from '../../../src/runtime/container/log-file'
import {LogCursor} from '../../../src/runtime/container/log-reader'

function tempLog(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-log-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return path.join(dir, 'ctr.log')
}

function readAll(cursor: LogCursor): LogEntry[] {
  const entries: LogEntry[] = []
  cursor.readToEnd((chunk) => entries.push(...chunk))
  return entries
}

const all = () => true

test('timestamps are RFC 3339 with nanoseconds and the local offset', (t) => {
  t.regex(logTimestamp(new Date()), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d$/)
})

test('a chunk becomes one F entry per complete line and a P entry for the rest; a cursor reads on from where it stopped', (t) => {
  const file = tempLog(t)
  const log = new LogWriter(file)
  log.write('stdout', Buffer.from('one\ntwo\npar'))
  log.write('stderr', Buffer.from('err\r\n'))
  const cursor = new LogCursor(file)
  t.teardown(() => cursor.close())
  const first = readAll(cursor)
  t.deepEqual(first.map((e) => [e.stream, e.partial, e.content]), [
    ['stdout', false, 'one'],
    ['stdout', false, 'two'],
    ['stdout', true, 'par'],
    ['stderr', false, 'err\r'],
  ])
  log.write('stdout', Buffer.from('tial\n'))
  log.close()
  t.deepEqual(readAll(cursor).map((e) => e.content), ['tial'])
  t.deepEqual(readAll(cursor), [], 'nothing new: nothing read again')
  // the last two lines: "err" and "partial" (whose first part came before "err")
  const tail = new LogCursor(file)
  t.deepEqual(tail.tail(2, all).map((e) => e.content), ['par', 'err\r', 'tial'])
  t.is(tail.offset, fs.statSync(file).size)
  tail.close()
  t.deepEqual(new LogCursor(file).tail(0, all), [])
  t.is(parseLogLine('garbage'), undefined)
  t.deepEqual(readAll(new LogCursor(path.join(path.dirname(file), 'missing'))), [])
})

test('tail reads backwards across chunk boundaries and lines longer than a chunk; forward reads join them too', (t) => {
  const file = tempLog(t)
  const log = new LogWriter(file)
  const long = 'x'.repeat(200_000)
  for (let i = 0; i < 5000; i++) log.write('stdout', Buffer.from(`line-${i}\n`))
  log.write('stderr', Buffer.from(`${long}\n`))
  for (let i = 5000; i < 5003; i++) log.write('stdout', Buffer.from(`line-${i}\n`))
  log.close()
  fs.appendFileSync(file, '2026-01-01T00:00:00.000000000+00:00 stdout F half-writ') // an entry being written
  const cursor = new LogCursor(file)
  t.deepEqual(cursor.tail(5, all).map((e) => e.content), ['line-4999', long, 'line-5000', 'line-5001', 'line-5002'])
  t.is(cursor.offset, fs.statSync(file).size - '2026-01-01T00:00:00.000000000+00:00 stdout F half-writ'.length)
  cursor.close()
  const stderrOnly = new LogCursor(file)
  t.deepEqual(stderrOnly.tail(1, (e) => e.stream === 'stderr').map((e) => e.content.length), [long.length])
  stderrOnly.close()
  const forward = readAll(new LogCursor(file))
  t.is(forward.length, 5004)
  t.is(forward[5000].content, long)
})

test('with a size limit, an entry that would pass it starts a new log; a following cursor reads the old one to its end, then the new one', (t) => {
  const file = tempLog(t)
  const entrySize = Buffer.byteLength(`${logTimestamp()} stdout F line-000\n`)
  const log = new LogWriter(file, entrySize * 10)
  for (let i = 0; i < 5; i++) log.write('stdout', Buffer.from(`line-${String(i).padStart(3, '0')}\n`))
  const follower = new LogCursor(file)
  t.is(readAll(follower).length, 5)
  for (let i = 5; i < 25; i++) log.write('stdout', Buffer.from(`line-${String(i).padStart(3, '0')}\n`))
  log.close()
  t.true(fs.statSync(file).size <= entrySize * 10)
  const seen = readAll(follower).map((e) => e.content)
  t.deepEqual(seen, ['line-005', 'line-006', 'line-007', 'line-008', 'line-009'], 'the old file, to its end')
  t.true(follower.reopenIfReplaced())
  const after = readAll(follower).map((e) => e.content)
  t.deepEqual(after, ['line-020', 'line-021', 'line-022', 'line-023', 'line-024'], 'the log now holds the last entries only')
  t.false(follower.reopenIfReplaced())
  follower.close()
  // a writer opened later counts what the log holds already
  const again = new LogWriter(file, entrySize * 10)
  for (let i = 25; i < 31; i++) again.write('stdout', Buffer.from(`line-${String(i).padStart(3, '0')}\n`))
  again.close()
  t.deepEqual(readAll(new LogCursor(file)).map((e) => e.content), ['line-030'])
})
