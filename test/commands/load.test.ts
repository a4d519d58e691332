// tspod load as the rootless user: docker-archive and oci-archive files, stdin, bad input.
import test from 'ava'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type {AddressInfo} from 'node:net'
import * as path from 'node:path'

import {leftovers} from '../helpers/image-sandbox'
import {busyboxImage, multiLayerImage, writeDockerArchive, writeOciArchive} from '../helpers/oci-image'
import {TEST_USER, lookupUser, removeTree, sandbox, tspod} from '../helpers/rootless'

test('load -i a docker-archive and an oci-archive, with their names', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const busybox = await busyboxImage()
  const multi = await multiLayerImage()
  const dockerTar = path.join(box.dir, 'docker.tar')
  await writeDockerArchive(dockerTar, busybox, ['docker.io/library/busybox:1.36'])
  const ociTar = path.join(box.dir, 'oci.tar')
  await writeOciArchive(ociTar, [{image: multi, ref: 'localhost/multi:2'}])
  for (const f of [dockerTar, ociTar]) fs.chmodSync(f, 0o644)

  const docker = await tspod(box, ['load', '-i', dockerTar])
  t.is(docker.code, 0, docker.stderr)
  t.is(docker.stdout, 'Loaded image: docker.io/library/busybox:1.36\n')
  const oci = await tspod(box, ['load', '-q', '--input', ociTar])
  t.is(oci.code, 0, oci.stderr)
  t.is(oci.stdout, 'Loaded image: localhost/multi:2\n')

  const ids = await tspod(box, ['images', '--format', '{{.Repository}}:{{.Tag}} {{.Id}}'])
  t.is(
    ids.stdout.split('\n').filter(Boolean).sort().join('\n'),
    [`docker.io/library/busybox:1.36 ${busybox.configDigest.slice(7)}`, `localhost/multi:2 ${multi.configDigest.slice(7)}`].sort().join('\n'),
  )
  t.deepEqual(leftovers(box), [])
})

test('load reads stdin; garbage is one line, exit 125, and stores nothing', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const busybox = await busyboxImage()
  const dockerTar = path.join(box.dir, 'docker.tar')
  await writeDockerArchive(dockerTar, busybox, ['localhost/frominput:latest'])
  const fromStdin = await tspod(box, ['load'], {input: fs.readFileSync(dockerTar)})
  t.is(fromStdin.code, 0, fromStdin.stderr)
  t.is(fromStdin.stdout, 'Loaded image: localhost/frominput:latest\n')
  // loaded again while it has another name: only the archive's names are reported
  t.is((await tspod(box, ['tag', 'localhost/frominput:latest', 'localhost/othername:1'])).code, 0)
  const again = await tspod(box, ['load'], {input: fs.readFileSync(dockerTar)})
  t.is(again.code, 0, again.stderr)
  t.is(again.stdout, 'Loaded image: localhost/frominput:latest\n')

  const garbage = path.join(box.dir, 'garbage.tar')
  fs.writeFileSync(garbage, 'this is not an archive at all'.repeat(40))
  fs.chmodSync(garbage, 0o644)
  const bad = await tspod(box, ['load', '-i', garbage])
  t.is(bad.code, 125)
  t.regex(bad.stderr, /^Error: [^\n]+\n$/)
  t.regex(bad.stderr, /^Error: payload does not match any of the supported image formats: .*garbage\.tar/)
  const corruptStdin = await tspod(box, ['load'], {input: 'not an image archive, only words\n'})
  t.is(corruptStdin.code, 125)
  t.is(corruptStdin.stderr, 'Error: payload does not match any of the supported image formats: the archive read from stdin is neither a tar archive nor a compressed one\n')
  const missing = await tspod(box, ['load', '-i', path.join(box.dir, 'nope.tar')])
  t.is(missing.code, 125)
  t.is(missing.stderr, `Error: open ${path.join(box.dir, 'nope.tar')}: no such file or directory\n`)
  t.is((await tspod(box, ['images', '-q'])).stdout.trim().split('\n').length, 1)
  t.deepEqual(leftovers(box), [])
})

test('load -i an http URL downloads the archive; a missing file or a closed port is one line, exit 125', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const busybox = await busyboxImage()
  const dockerTar = path.join(box.dir, 'served.tar')
  await writeDockerArchive(dockerTar, busybox, ['localhost/fromurl:1'])
  const server = http.createServer((req, res) => {
    if (req.url !== '/image.tar') return void res.writeHead(404).end('not here')
    res.writeHead(200, {'content-type': 'application/x-tar'})
    fs.createReadStream(dockerTar).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const loaded = await tspod(box, ['load', '-i', `${base}/image.tar`])
  t.is(loaded.code, 0, loaded.stderr)
  t.is(loaded.stdout, 'Loaded image: localhost/fromurl:1\n')
  t.is((await tspod(box, ['images', '--format', '{{.Id}} {{.Repository}}:{{.Tag}}'])).stdout, `${busybox.configDigest.slice(7)} localhost/fromurl:1\n`)

  const missing = await tspod(box, ['load', '-i', `${base}/nope.tar`])
  t.is(missing.code, 125)
  t.is(missing.stderr, `Error: downloading ${base}/nope.tar: server answered 404 Not Found\n`)
  const closed = http.createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/image.tar`
  await new Promise((resolve) => closed.close(resolve))
  const refused = await tspod(box, ['load', '-i', closedUrl])
  t.is(refused.code, 125)
  t.regex(refused.stderr, new RegExp(`^Error: downloading ${closedUrl.replace(/[.]/g, '\\.')}: [^\n]*connection refused\n$`))
  t.deepEqual(leftovers(box), [])
})
