// The --init binary: found as Podman finds catatonit, missing ones refused in Podman's words.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../../src/errors'
import {resolveInitBinary} from '../../../src/runtime/spec/init-binary'

function tree(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-init-search-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  for (const sub of ['libexec', 'helpers', 'bin', 'plain']) fs.mkdirSync(path.join(dir, sub))
  return dir
}

test('order: --init-path, init_path, the default path, the helper dirs, then $PATH (executable files only)', (t) => {
  const dir = tree(t)
  const file = (rel: string, mode = 0o755): string => {
    fs.writeFileSync(path.join(dir, rel), '', {mode})
    return path.join(dir, rel)
  }
  const lookup = {defaultPath: path.join(dir, 'libexec', 'catatonit'), helperDirs: [path.join(dir, 'helpers')], searchPath: `${dir}/plain:${dir}/bin`}
  const inPath = file('bin/catatonit')
  file('plain/catatonit', 0o644) // not executable: skipped as Go's exec.LookPath does
  t.is(resolveInitBinary(lookup), inPath)
  const helper = file('helpers/catatonit')
  t.is(resolveInitBinary(lookup), helper)
  const byDefault = file('libexec/catatonit', 0o644) // Podman only checks that the default exists
  t.is(resolveInitBinary(lookup), byDefault)
  t.is(resolveInitBinary({...lookup, configured: inPath}), inPath)
  t.is(resolveInitBinary({...lookup, configured: helper, initPath: inPath}), inPath)
})

test('nothing found, or a named binary missing: Podman\'s errors', (t) => {
  const dir = tree(t)
  const lookup = {defaultPath: path.join(dir, 'libexec', 'catatonit'), helperDirs: [path.join(dir, 'helpers')], searchPath: path.join(dir, 'bin')}
  t.throws(() => resolveInitBinary(lookup), {instanceOf: UsageError, message: 'lookup init binary: exec: "catatonit": executable file not found in $PATH'})
  const missing = path.join(dir, 'libexec', 'nope')
  t.throws(() => resolveInitBinary({...lookup, configured: missing}), {
    instanceOf: UsageError,
    message: `container-init binary not found on the host: stat ${missing}: no such file or directory`,
  })
  t.throws(() => resolveInitBinary({initPath: '/usr/libexec/podman/nope/catatonit'}), {
    message: 'container-init binary not found on the host: stat /usr/libexec/podman/nope/catatonit: no such file or directory',
  })
})
