// @userns
// The `U` option: the sources given to the process user, recursively unless the source already
// has that owner, as Podman's ChangeHostPathOwnership (run here as root, without a namespace).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {chownSources, sourcesToChown} from '../../../src/runtime/volume/chown-sources'

test('only mounts with U: bind sources as given, named volumes by their data dir', (t) => {
  const sources = sourcesToChown(
    [
      {type: 'bind', source: '/a', destination: '/x', options: ['U']},
      {type: 'bind', source: '/b', destination: '/y', options: ['ro']},
      {type: 'volume', name: 'v', destination: '/z', options: ['U', 'ro']},
      {type: 'tmpfs', destination: '/t', options: []},
    ],
    (name) => `/volumes/${name}/_data`,
  )
  t.deepEqual(sources, ['/a', '/volumes/v/_data'])
})

test('recursive when the source has another owner; nothing below a source that already has it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chown-u-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.mkdirSync(path.join(dir, 'sub'))
  fs.writeFileSync(path.join(dir, 'sub', 'f'), '')
  await chownSources(undefined, [dir], {uid: 1000, gid: 2000})
  const owner = (p: string) => `${fs.statSync(p).uid}:${fs.statSync(p).gid}`
  t.deepEqual([owner(dir), owner(path.join(dir, 'sub', 'f'))], ['1000:2000', '1000:2000'])
  fs.chownSync(path.join(dir, 'sub', 'f'), 100, 200)
  await chownSources(undefined, [dir], {uid: 1000, gid: 2000})
  t.is(owner(path.join(dir, 'sub', 'f')), '100:200', 'the source had the owner: nothing below it changed')
})
