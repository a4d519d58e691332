// Hostile images pulled from the real registry, as the rootless user: each is refused with an
// error naming the layer entry (or neutralised), the store is unchanged, and nothing escapes.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, leftovers, registrySandbox} from '../helpers/image-sandbox'
import {ESCAPE_MARKER, HOSTILE_KINDS, HostileKind, oddEntriesImage} from '../helpers/oci-image'
import {Registry, startRegistry} from '../helpers/registry'
import {removeTree, tspod} from '../helpers/rootless'

let registry: Registry
test.before(async () => {
  registry = await startRegistry()
  for (const kind of HOSTILE_KINDS) await registry.push(`hostile/${kind}`, 'latest', await oddEntriesImage(kind))
})
test.after.always(() => registry?.stop())

function escaped(dir: string): string[] {
  const found: string[] = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, {withFileTypes: true})) {
      if (e.name.includes(ESCAPE_MARKER)) found.push(path.join(d, e.name))
      if (e.isDirectory() && !e.isSymbolicLink() && d.split('/').length < 12) walk(path.join(d, e.name))
    }
  }
  walk(dir)
  return found
}

for (const kind of HOSTILE_KINDS) {
  test(`hostile layer "${kind}": refused or neutralised, nothing outside the layer dir`, async (t) => {
    const box = registrySandbox(registry.host)
    t.teardown(() => removeTree(box.dir))
    const r = await tspod(box, ['pull', '-q', `${registry.host}/hostile/${kind}`])
    if (r.code === 0) {
      // Neutralised: whatever was written stays inside the layer dirs of the store.
      const layerDirs = fs.readdirSync(path.join(graphRoot(box), 'overlay'))
      t.true(layerDirs.length > 0)
    } else {
      t.is(r.code, 125)
      t.regex(r.stderr, /^Error: [^\n]+\n$/)
      t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'overlay')), [])
      t.is((await tspod(box, ['images', '-q'])).stdout, '')
    }
    t.deepEqual(leftovers(box), [])
    t.deepEqual(escaped(box.dir).filter((p) => !p.startsWith(path.join(graphRoot(box), 'overlay'))), [])
    t.deepEqual(fs.readdirSync('/tmp').filter((n) => n.includes(ESCAPE_MARKER)), [])
  })
}

test('errors name the layer entry at fault', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  const dotdot = await tspod(box, ['pull', '-q', `${registry.host}/hostile/dotdot`])
  t.regex(dotdot.stderr, /\.\.\//)
  const kind: HostileKind = 'corrupt-gzip'
  const corrupt = await tspod(box, ['pull', '-q', `${registry.host}/hostile/${kind}`])
  t.is(corrupt.code, 125)
  t.regex(corrupt.stderr, /layer 0 \(blob sha256:[0-9a-f]{64}\)/)
})
