// run/create --pod-id-file: the pod is the file's first line.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {podOf} from '../../src/cli/pod-id-file'

test('the first line of the file names the pod; --pod alone passes through; both or a missing file are errors', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pod-id-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'pod.id')
  fs.writeFileSync(file, 'abc123\nignored\n')
  t.is(podOf(undefined, file), 'abc123')
  t.is(podOf('web', undefined), 'web')
  t.throws(() => podOf('web', file), {message: 'cannot specify both --pod and --pod-id-file'})
  t.throws(() => podOf(undefined, path.join(dir, 'nope')), {message: `reading pod ID file: open ${path.join(dir, 'nope')}: no such file or directory`})
  t.throws(() => podOf(undefined, dir), {message: `reading pod ID file: open ${dir}: is a directory`})
})
