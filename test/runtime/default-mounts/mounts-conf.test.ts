// mounts.conf: which file is read, and its HOST[:CONTAINER] lines.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {DEFAULT_MOUNTS_FILE, OVERRIDE_MOUNTS_FILE, findMountsConf, mountsConfCandidates, parseMountsConf, readMountsConf} from '../../../src/runtime/default-mounts/mounts-conf'

test('rootless: the user\'s file first, then /etc, then /usr/share; root: the system ones; a named file is the only one', (t) => {
  t.deepEqual(mountsConfCandidates({rootless: true, home: '/home/u'}), ['/home/u/.config/containers/mounts.conf', OVERRIDE_MOUNTS_FILE, DEFAULT_MOUNTS_FILE])
  t.deepEqual(mountsConfCandidates({rootless: false, home: '/root'}), [OVERRIDE_MOUNTS_FILE, DEFAULT_MOUNTS_FILE])
  t.deepEqual(mountsConfCandidates({file: '/x/m.conf', rootless: true, home: '/home/u'}), ['/x/m.conf'])
})

test('the first file that exists is the one read; none existing means no default mounts', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mounts-conf-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const second = path.join(dir, 'second.conf')
  fs.writeFileSync(second, '/a:/b\n')
  t.is(findMountsConf([path.join(dir, 'missing.conf'), second, '/etc/passwd']), second)
  t.is(findMountsConf([path.join(dir, 'missing.conf')]), undefined)
  t.deepEqual(readMountsConf(path.join(dir, 'missing.conf')), [])
  t.deepEqual(readMountsConf(second), [{host: '/a', container: '/b'}])
})

test('entries: HOST:CONTAINER or HOST alone; lines not starting with / are skipped; the container path stays under /', (t) => {
  const text = ['# a comment', '', '/usr/share/rhel/secrets:/run/secrets', '  /etc/pki  ', 'relative:/x', '/h:/../../../../etc/evil', '/h:run/x/../y', '/h:', '/h:/'].join('\n')
  t.deepEqual(parseMountsConf(text), [
    {host: '/usr/share/rhel/secrets', container: '/run/secrets'},
    {host: '/etc/pki', container: '/etc/pki'},
    {host: '/h', container: '/etc/evil'},
    {host: '/h', container: '/run/y'},
  ])
})
