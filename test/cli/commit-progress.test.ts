// commit's and build's progress lines, as Podman prints them; nothing with -q.
import test from 'ava'
import {PassThrough} from 'node:stream'

import {commitReporter} from '../../src/cli/commit-progress'

function run(quiet: boolean): string {
  const out = new PassThrough()
  let text = ''
  out.on('data', (d) => (text += String(d)))
  const r = commitReporter(quiet, out)
  r.event({kind: 'blob-done', digest: 'sha256:aaa', reused: true})
  r.event({kind: 'blob-start', digest: 'sha256:bbb', size: 1, isConfig: false})
  r.event({kind: 'blob-done', digest: 'sha256:bbb', reused: false})
  r.event({kind: 'blob-start', digest: 'sha256:ccc', size: 1, isConfig: true})
  r.event({kind: 'manifest'})
  r.line('Storing signatures')
  return text
}

test('every blob and the config by digest, then the manifest and signatures', (t) => {
  t.is(run(false), 'Getting image source signatures\nCopying blob sha256:aaa\nCopying blob sha256:bbb\nCopying config sha256:ccc\nWriting manifest to image destination\nStoring signatures\n')
  t.is(run(true), '')
})
