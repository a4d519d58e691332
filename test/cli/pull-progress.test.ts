// The pull reporters' stall warning: once per blob, "config" for the config, also with -q.
import test from 'ava'
import {PassThrough} from 'node:stream'

import {plainReporter, quietReporter} from '../../src/cli/pull-progress'
import type {CopyEvent} from '../../src/storage/image/copy/copy'

const LAYER = `sha256:${'ab'.repeat(32)}`
const CONFIG = `sha256:${'cd'.repeat(32)}`

function written(events: CopyEvent[], make: (out: PassThrough) => {event(e: CopyEvent): void}): string {
  const out = new PassThrough()
  const reporter = make(out)
  for (const e of events) reporter.event(e)
  return String(out.read() ?? '')
}

const stalls: CopyEvent[] = [
  {kind: 'blob-start', digest: CONFIG, size: 100, isConfig: true},
  {kind: 'blob-stalled', digest: CONFIG, server: 'r.example:5000', silentMs: 10_000, resumeAt: 0},
  {kind: 'blob-done', digest: CONFIG, reused: false},
  {kind: 'blob-start', digest: LAYER, size: 5 << 20, isConfig: false},
  {kind: 'blob-stalled', digest: LAYER, server: 'cdn.example', silentMs: 10_000, resumeAt: 1048576},
  {kind: 'blob-stalled', digest: LAYER, server: 'cdn.example', silentMs: 10_000, resumeAt: 2097152},
  {kind: 'blob-stalled', digest: LAYER, server: 'cdn.example', silentMs: 90_000, resumeAt: 3145728},
]

const WARNINGS = [
  'WARN[0000] Copying config cdcdcdcdcdcd: r.example:5000 sent nothing for 10s; trying again',
  'WARN[0000] Copying blob abababababab: cdn.example sent nothing for 10s; resuming at byte 1048576',
]

test('one warning per blob that stalled, however often it stalls', (t) => {
  const lines = written(stalls, (out) => plainReporter(out)).split('\n')
  t.deepEqual(lines.filter((l) => l.startsWith('WARN')), WARNINGS)
})

test('-q keeps the warnings and nothing else', (t) => {
  t.is(written(stalls, (out) => quietReporter(out)), WARNINGS.map((w) => `${w}\n`).join(''))
})
