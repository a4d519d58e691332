// The push reporter: Podman's lines in Podman's order (layers as they are taken on, the config after
// them), nothing with -q.
import test from 'ava'
import {PassThrough} from 'node:stream'

import {pushReporter} from '../../src/cli/push-progress'
import type {CopyEvent} from '../../src/storage/image/copy/copy'

const LAYER1 = `sha256:${'ab'.repeat(32)}`
const LAYER2 = `sha256:${'ef'.repeat(32)}`
const CONFIG = `sha256:${'cd'.repeat(32)}`

const events: CopyEvent[] = [
  {kind: 'blob-start', digest: CONFIG, size: 100, isConfig: true},
  {kind: 'blob-done', digest: CONFIG, reused: false},
  {kind: 'blob-done', digest: LAYER1, reused: true},
  {kind: 'blob-start', digest: LAYER2, size: 5 << 20, isConfig: false},
  {kind: 'blob-progress', digest: LAYER2, bytes: 1 << 20},
  {kind: 'blob-done', digest: LAYER2, reused: false},
  {kind: 'manifest'},
]

function written(quiet: boolean): string {
  const out = new PassThrough()
  const reporter = pushReporter(quiet, out)
  for (const e of events) reporter.event(e)
  reporter.stop()
  return String(out.read() ?? '')
}

test('each layer once, whether uploaded or already there, then the config and the manifest', (t) => {
  t.is(
    written(false),
    [
      'Getting image source signatures',
      `Copying blob ${LAYER1}`,
      `Copying blob ${LAYER2}`,
      `Copying config ${CONFIG}`,
      'Writing manifest to image destination',
      '',
    ].join('\n'),
  )
})

test('-q: nothing', (t) => {
  t.is(written(true), '')
})
