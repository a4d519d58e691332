// A build context from stdin or a URL: a tar archive (plain or compressed) unpacked, anything else
// taken as the Containerfile; a hostile archive refused without a byte written outside the context.
import test from 'ava'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type {AddressInfo} from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import * as zlib from 'node:zlib'
import * as tar from 'tar-stream'

import {isRemoteContext, prepareContext} from '../../src/build/context'

type Entry = {name: string; type?: tar.Header['type']; body?: string; linkname?: string; mode?: number}

async function tarBuffer(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack()
  for (const e of entries) pack.entry({name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644)}, e.body ?? '')
  pack.finalize()
  const chunks: Buffer[] = []
  for await (const c of pack) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function workDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-context-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('a tar (plain or gzip) on stdin is the context; plain text is the Containerfile in an empty context', async (t) => {
  const archive = await tarBuffer([{name: 'Containerfile', body: 'FROM x\n'}, {name: 'sub/', type: 'directory'}, {name: 'sub/a.sh', body: 'echo\n', mode: 0o755}, {name: 'ln', type: 'symlink', linkname: '/etc/passwd'}])
  for (const bytes of [archive, zlib.gzipSync(archive)]) {
    const work = workDir(t)
    const got = await prepareContext('-', work, Readable.from([bytes]))
    t.is(got.file, undefined)
    t.is(fs.readFileSync(path.join(got.contextDir, 'Containerfile'), 'utf8'), 'FROM x\n')
    t.is(fs.statSync(path.join(got.contextDir, 'sub/a.sh')).mode & 0o777, 0o755)
    t.is(fs.readlinkSync(path.join(got.contextDir, 'ln')), '/etc/passwd')
  }
  const work = workDir(t)
  const plain = await prepareContext('-', work, Readable.from([Buffer.from('FROM y\nRUN true\n')]))
  t.is(fs.readFileSync(plain.file!, 'utf8'), 'FROM y\nRUN true\n')
  t.deepEqual(fs.readdirSync(plain.contextDir), [])
  t.true(isRemoteContext('https://example.com/c.tar'))
  t.false(isRemoteContext('./dir'))
})

test('hostile context archives: ../ names, writes through a symlink, hard links out are refused; nothing lands outside', async (t) => {
  const cases: Entry[][] = [
    [{name: '../escaped', body: 'x'}],
    [{name: 'a/../../escaped', body: 'x'}],
    [{name: 'link', type: 'symlink', linkname: '..'}, {name: 'link/escaped', body: 'x'}],
    [{name: 'hl', type: 'link', linkname: '../escaped'}],
  ]
  for (const entries of cases) {
    const work = workDir(t)
    await t.throwsAsync(prepareContext('-', work, Readable.from([await tarBuffer(entries)])), {message: /^unpacking the build context: entry ".*" /})
    t.false(fs.existsSync(path.join(work, 'escaped')))
    t.false(fs.existsSync(path.join(path.dirname(work), 'escaped')))
  }
})

test('a URL: the archive downloaded and unpacked; a 404 in buildah\'s words', async (t) => {
  const archive = await tarBuffer([{name: 'Dockerfile', body: 'FROM z\n'}])
  const server = http.createServer((req, res) => {
    if (req.url === '/c.tar.gz') res.end(zlib.gzipSync(archive))
    else {
      res.statusCode = 404
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const got = await prepareContext(`${base}/c.tar.gz`, workDir(t), undefined)
  t.is(fs.readFileSync(path.join(got.contextDir, 'Dockerfile'), 'utf8'), 'FROM z\n')
  await t.throwsAsync(prepareContext(`${base}/none.tar`, workDir(t), undefined), {message: 'prepping temporary context directory: invalid response status 404'})
})
