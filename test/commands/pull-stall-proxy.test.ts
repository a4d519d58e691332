// A pull from a real registry (CNCF distribution) through a TCP proxy that stalls a layer's answer
// for 60 s mid-stream: tspod abandons the silent connection after its idle timeout, resumes the
// blob with Range where it stopped, warns once, and verifies the spliced blob.
import test from 'ava'
import {createHash, randomBytes} from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, leftovers, registrySandbox} from '../helpers/image-sandbox'
import {buildImage} from '../helpers/oci-image'
import {withRegistry} from '../helpers/registry'
import {removeTree, tspod} from '../helpers/rootless'
import {StallingProxy} from '../helpers/stalling-proxy'

const registry = withRegistry(test)

test('a layer stalled for 60 s by a proxy in front of a real registry: resumed with Range, under 20 s in all', async (t) => {
  const image = await buildImage({layers: [[{path: 'big', type: 'file', content: randomBytes(4 << 20)}]]})
  await registry().push('stall', 'latest', image)
  const proxy = await StallingProxy.start({host: '127.0.0.1', port: registry().port})
  const box = registrySandbox(proxy.host)
  t.teardown(async () => {
    await proxy.close()
    removeTree(box.dir)
  })
  const digest = image.layers[0].digest
  proxy.stall(`/v2/stall/blobs/${digest}`, 1 << 20, 60_000)

  const started = Date.now()
  const pull = await tspod(box, ['pull', `${proxy.host}/stall`], {timeoutMs: 90_000})
  const elapsed = Date.now() - started
  t.log(`pull through a proxy stalling the layer for 60 s took ${elapsed} ms`)
  t.is(pull.code, 0, pull.stderr)
  t.true(elapsed < 20_000, `took ${elapsed} ms`)
  t.is(pull.stdout, `${image.configDigest.slice(7)}\n`)

  const heads = proxy.requestsFor(`/v2/stall/blobs/${digest}`)
  t.is(heads.length, 2)
  t.notRegex(heads[0], /^range:/im)
  const offset = Number(/^range: bytes=(\d+)-$/im.exec(heads[1])?.[1])
  t.true(offset > 0 && offset < 1 << 20, `resumed with ${heads[1]}`)
  const warnings = pull.stderr.split('\n').filter((line) => line.startsWith('WARN'))
  t.deepEqual(warnings, [`WARN[0000] Copying blob ${digest.slice(7, 19)}: ${proxy.host} sent nothing for 10s; resuming at byte ${offset}`])

  const overlay = path.join(graphRoot(box), 'overlay')
  const kept = fs.readdirSync(overlay).map((id) => path.join(overlay, id, 'blob')).filter((f) => fs.existsSync(f))
  t.deepEqual(kept.map((f) => `sha256:${createHash('sha256').update(fs.readFileSync(f)).digest('hex')}`), [digest])
  t.deepEqual(leftovers(box), [])
})
