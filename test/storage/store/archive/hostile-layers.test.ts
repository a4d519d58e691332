// @userns
// The shared hostile layers (test/helpers/oci-hostile.ts), unpacked as the real rootless user
// through the user-namespace worker: each is refused or neutralised, and nothing escapes.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ESCAPE_MARKER, HOSTILE_KINDS, HOSTILE_LAYERS, HostileKind, buildLayer} from '../../../helpers/oci-image'
import {TEST_USER, lookupUser, removeTree, runAs, userTempDir} from '../../../helpers/rootless'

const FIXTURE = path.join(__dirname, '..', '..', '..', 'fixtures', 'unpack-layers.js')

interface Report {
  results?: {diffID: string}[]
  error?: {message: string}
  warnings: string[]
}

/** What a safe unpack of each kind does: the error of its first failing layer, or success (undefined). */
const EXPECTED_ERROR: Record<HostileKind, RegExp | undefined> = {
  dotdot: /"\.\.\/tspod-escape-dotdot" is outside of/,
  'absolute-path': undefined,
  'symlink-escape-absolute':
    /layer entry "escape\/tspod-escape-symlink-absolute": path escapes through symlink "escape"/,
  'symlink-escape-relative': /invalid symlink "a\/escape" -> /,
  'hardlink-outside': /invalid hardlink "hardlink-dotdot" -> /,
  'whiteout-outside': /"\.\.\/\.wh\.tspod-escape-victim" is outside of/,
  'symlink-then-file-overwrite': undefined,
  'absurd-uid':
    /potentially insufficient UIDs or GIDs available in user namespace \(requested 4294967294:4294967294 for \/absurd-uid\)/,
  'truncated-tar': /unexpected end of layer in entry "big-file"/,
  'corrupt-gzip': /corrupt gzip layer: /,
  'device-nodes': undefined,
}

function escapes(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.includes(ESCAPE_MARKER))
}

for (const kind of HOSTILE_KINDS) {
  test(`hostile layer "${kind}" is refused or neutralised, and nothing escapes`, async (t) => {
    const user = lookupUser(TEST_USER)
    const dir = userTempDir(user, 'tspod-hostile-')
    t.teardown(() => removeTree(dir))
    const tmpBefore = escapes(os.tmpdir())
    const passwd = fs.statSync('/etc/passwd')
    const jobs = []
    for (const [i, input] of (await HOSTILE_LAYERS[kind].layers()).entries()) {
      const layer = await buildLayer(input)
      const blob = path.join(dir, `${i}.blob`)
      fs.writeFileSync(blob, layer.data, {mode: 0o644})
      const dest = path.join(dir, 'layers', String(i))
      fs.mkdirSync(dest, {recursive: true})
      fs.chownSync(path.join(dir, 'layers'), user.uid, user.gid)
      fs.chownSync(dest, user.uid, user.gid)
      jobs.push({blob, dest, expectedDiffID: layer.diffID, digest: layer.digest, index: i})
    }
    const r = await runAs(user, [process.execPath, FIXTURE, JSON.stringify({op: 'unpack', jobs})])
    t.is(r.code, 0, r.stderr)
    const report = JSON.parse(r.stdout) as Report
    const expected = EXPECTED_ERROR[kind]
    if (expected) t.regex(report.error?.message ?? '(no error)', expected)
    else t.is(report.error, undefined)

    t.deepEqual(escapes(os.tmpdir()), tmpBefore, `nothing named ${ESCAPE_MARKER} appeared in ${os.tmpdir()}`)
    t.deepEqual(escapes(dir), [])
    t.deepEqual(escapes(path.join(dir, 'layers')), [])
    const passwdAfter = fs.statSync('/etc/passwd')
    t.deepEqual([passwdAfter.nlink, passwdAfter.size, passwdAfter.mtimeMs], [passwd.nlink, passwd.size, passwd.mtimeMs])

    const l0 = jobs[0].dest
    if (kind === 'absolute-path') t.true(fs.existsSync(path.join(l0, 'tmp', `${ESCAPE_MARKER}-absolute`)))
    if (kind === 'symlink-then-file-overwrite') {
      t.true(fs.lstatSync(path.join(jobs[1].dest, 'overwrite')).isFile())
      t.is(fs.readFileSync(path.join(jobs[1].dest, 'same-layer'), 'utf8'), 'replaced the symlink in the same layer\n')
    }
    if (kind === 'device-nodes') {
      t.deepEqual(fs.readdirSync(path.join(l0, 'dev')), ['tspod-fifo'])
      t.deepEqual(report.warnings, [
        'skipping device node dev/tspod-null: not permitted in a user namespace',
        'skipping device node dev/tspod-sda: not permitted in a user namespace',
        'skipping device node dev/tspod-overlay-whiteout: not permitted in a user namespace',
      ])
    }
  })
}
