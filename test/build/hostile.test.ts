// Hostile build contexts and Containerfiles, built for real as the rootless user: links out of
// the context, ../ sources, an ADDed tar that writes through its own symlink, an ARG that doubles
// until memory runs out. Each fails with one `Error:` line and exit 125, leaves nothing in the
// store's work dirs, and writes nothing outside; what is harmless lands inside the image.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tar from 'tar-stream'

import {leftovers, sandboxWithImages} from '../helpers/image-sandbox'
import {tspod} from '../helpers/rootless'

async function writeTar(file: string, entries: {name: string; type?: tar.Header['type']; linkname?: string; body?: string}[]): Promise<void> {
  const pack = tar.pack()
  for (const e of entries) pack.entry({name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: 0o644}, e.body ?? '')
  pack.finalize()
  const chunks: Buffer[] = []
  for await (const c of pack) chunks.push(c as Buffer)
  fs.writeFileSync(file, Buffer.concat(chunks), {mode: 0o644})
}

test('links out of the context, ../ sources, a tar writing through its symlink, a doubling ARG: exit 125, one line, nothing written outside', async (t) => {
  const box = await sandboxWithImages(t)
  const ctx = path.join(box.dir, 'ctx')
  const outside = path.join(box.dir, 'outside')
  fs.mkdirSync(ctx, {mode: 0o755})
  fs.mkdirSync(outside, {mode: 0o777})
  fs.writeFileSync(path.join(outside, 'secret'), 'host secret\n', {mode: 0o644})
  fs.writeFileSync(path.join(ctx, 'a.txt'), 'A\n', {mode: 0o644})
  fs.symlinkSync(path.join(outside, 'secret'), path.join(ctx, 'leak'))
  fs.symlinkSync('/', path.join(ctx, 'root'))
  fs.symlinkSync('a.txt', path.join(ctx, 'inside'))
  await writeTar(path.join(ctx, 'abslink.tar'), [{name: 'out', type: 'symlink', linkname: outside}, {name: 'out/evil', body: 'pwn'}])
  await writeTar(path.join(ctx, 'rellink.tar'), [{name: 'up', type: 'symlink', linkname: '../../../../../../'}, {name: `up${outside}/evil2`, body: 'pwn'}])
  await writeTar(path.join(ctx, 'dotdot.tar'), [{name: '../../escaped', body: 'x'}])
  const doubling = ['FROM busybox', `ARG A0=${'x'.repeat(1024)}`, ...Array.from({length: 30}, (_, i) => `ARG A${i + 1}=$A${i}$A${i}`), 'RUN true'].join('\n')
  const cases: [string, RegExp][] = [
    ['COPY leak /x', /copier: stat: "\/leak": no such file or directory/],
    ['COPY root/etc/passwd /x', /copier: stat: "\/root\/etc\/passwd": no such file or directory/],
    ['COPY ../../../etc/passwd /x', /no such file or directory/],
    ['ADD abslink.tar /dst/', /"out" is a symbolic link in abslink.tar/],
    ['ADD rellink.tar /dst/', /"up" is a symbolic link in rellink.tar/],
  ]
  for (const [line, message] of [...cases.map(([l, m]) => [`FROM busybox\n${l}\n`, m] as [string, RegExp]), [doubling, /is longer than 4194304 bytes/] as [string, RegExp]]) {
    fs.writeFileSync(path.join(ctx, 'Containerfile'), line, {mode: 0o644})
    const r = await tspod(box, ['build', '-q', ctx])
    t.is(r.code, 125, line.slice(0, 60))
    t.regex(r.stderr, /^Error: [^\n]*\n$/, line.slice(0, 60))
    t.regex(r.stderr, message)
  }
  t.deepEqual(fs.readdirSync(outside), ['secret'])
  t.false(fs.existsSync(path.join(box.dir, 'escaped')))
  t.deepEqual(leftovers(box), [])
  // what is harmless is kept inside: a ../ tar entry under the destination, a link inside the context followed
  fs.writeFileSync(path.join(ctx, 'Containerfile'), 'FROM busybox\nADD dotdot.tar /dst/\nCOPY inside /in\nRUN test "$(cat /dst/escaped)" = x && test "$(cat /in)" = A && ! test -e /escaped && echo contained\n', {mode: 0o644})
  const ok = await tspod(box, ['build', ctx], {timeoutMs: 240_000})
  t.is(ok.code, 0, ok.stderr)
  t.regex(ok.stdout, /\ncontained\n/)
  t.deepEqual(fs.readdirSync(outside), ['secret'])
})
