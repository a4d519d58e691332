// Seccomp profile files: Podman's messages for a missing file and bad JSON, shape errors named.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadProfileFile, parseProfile} from '../../../src/runtime/seccomp/profile'

test('profile files: Podman\'s messages for a missing file and bad JSON, and shape errors named', (t) => {
  t.throws(() => loadProfileFile('/no/such.json'), {message: 'opening seccomp profile failed: open /no/such.json: no such file or directory'})
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-seccomp-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const bad = path.join(dir, 'bad.json')
  fs.writeFileSync(bad, '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": {}}')
  t.throws(() => loadProfileFile(bad), {message: `loading seccomp profile (${bad}) failed: decoding seccomp profile failed: syscalls must be a list`})
  t.throws(() => parseProfile('{"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": -1, "value": 0, "op": "SCMP_CMP_EQ"}]}]}'), {
    message: 'syscalls[0].args[0].index must be an unsigned integer',
  })
})
