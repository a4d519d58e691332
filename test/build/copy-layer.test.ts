// COPY/ADD layers from a context: globs, ignore patterns, dest dirs, --chown/--chmod, tar extraction.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as tar from 'tar-stream'

import {CopyLayerJob, copySourcesDigest, writeCopyLayer} from '../../src/build/copy-layer'
import {FileSums} from '../../src/build/file-sums'
import {tarEntries} from '../helpers/tar-entries'

function setup(t: {teardown(fn: () => void): void}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-copy-layer-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const ctx = path.join(dir, 'ctx')
  const image = path.join(dir, 'image')
  fs.mkdirSync(path.join(ctx, 'sub'), {recursive: true})
  fs.mkdirSync(path.join(image, 'tmp'), {recursive: true})
  fs.writeFileSync(path.join(ctx, 'a.txt'), 'A')
  fs.writeFileSync(path.join(ctx, 'b.txt'), 'B')
  fs.writeFileSync(path.join(ctx, 'c.log'), 'C')
  fs.writeFileSync(path.join(ctx, 'sub', 'd'), 'D')
  const job = (extra: Partial<CopyLayerJob>): CopyLayerJob => ({
    output: path.join(dir, `out-${Math.random()}.tar`),
    sources: [],
    sourceLayers: [ctx],
    dest: '/',
    destLayers: [image],
    add: false,
    keepOwners: false,
    step: 'COPY',
    ...extra,
  })
  return {dir, ctx, job}
}

test('a glob into an existing dir: no entry for the dir itself, owners 0:0 unless --chown, modes kept or --chmod', async (t) => {
  const {job} = setup(t)
  const j = job({sources: ['*.txt'], dest: '/tmp'})
  await writeCopyLayer(j)
  const entries = await tarEntries(j.output)
  t.deepEqual(entries.map((e) => e.name), ['tmp/a.txt', 'tmp/b.txt'])
  t.true(entries.every((e) => e.uid === 0 && e.gid === 0))
  const j2 = job({sources: ['*.txt'], dest: '/tmp', chown: {uid: 5, gid: 6}, chmod: 0o600})
  await writeCopyLayer(j2)
  const e2 = await tarEntries(j2.output)
  t.true(e2.every((e) => e.uid === 5 && e.gid === 6 && e.mode === 0o600))
})

test('the cache key hashes contents, modes and owners, not times, and writes nothing', async (t) => {
  const {ctx, job} = setup(t)
  const j = job({sources: ['.'], dest: '/app/'})
  const key = await copySourcesDigest(j)
  t.false(fs.existsSync(j.output))
  fs.utimesSync(path.join(ctx, 'sub', 'd'), 1, 1)
  t.is(await copySourcesDigest(j), key)
  t.not(await copySourcesDigest({...j, chown: {uid: 5, gid: 6}}), key)
  t.not(await copySourcesDigest({...j, chmod: 0o600}), key)
  fs.chmodSync(path.join(ctx, 'a.txt'), 0o600)
  const moded = await copySourcesDigest(j)
  t.not(moded, key)
  fs.writeFileSync(path.join(ctx, 'sub', 'd'), 'E')
  t.not(await copySourcesDigest(j), moded)
})

test('a dir copies its contents; missing dest dirs are created; ignored files are left out; hard links stay links', async (t) => {
  const {ctx, job} = setup(t)
  fs.linkSync(path.join(ctx, 'a.txt'), path.join(ctx, 'sub', 'e'))
  const j = job({sources: ['.'], dest: '/app/', ignore: ['*.log']})
  await writeCopyLayer(j)
  const entries = await tarEntries(j.output)
  t.deepEqual(entries.map((e) => e.name), ['app/', 'app/a.txt', 'app/b.txt', 'app/sub/', 'app/sub/d', 'app/sub/e'])
  t.like(entries[5], {type: 'link', linkname: 'app/a.txt'})
})

test('a missing source is an error naming the step', async (t) => {
  const {job} = setup(t)
  await t.throwsAsync(() => writeCopyLayer(job({sources: ['nope'], step: 'COPY nope /x'})), {message: /building at STEP "COPY nope \/x".*no such file or directory/})
  await t.throwsAsync(() => writeCopyLayer(job({sources: ['*.none'], step: 'COPY *.none /x'})), {message: /no items matching glob/})
})

test('ADD unpacks a local tar archive into the destination', async (t) => {
  const {ctx, job} = setup(t)
  const pack = tar.pack()
  pack.entry({name: 'x/', type: 'directory', mode: 0o755, uid: 7, gid: 7})
  pack.entry({name: 'x/y', mode: 0o644, uid: 7, gid: 7}, 'Y')
  pack.finalize()
  const chunks: Buffer[] = []
  for await (const c of pack) chunks.push(c as Buffer)
  fs.writeFileSync(path.join(ctx, 'a.tar'), Buffer.concat(chunks))
  const j = job({sources: ['a.tar'], dest: '/opt/', add: true})
  await writeCopyLayer(j)
  const entries = await tarEntries(j.output)
  t.deepEqual(entries.map((e) => e.name), ['opt/', 'opt/x/', 'opt/x/y'])
  t.like(entries[2], {uid: 7, body: 'Y'})
})

test('file sums: an unchanged file is not read again (its kept sum is used); a rewrite of the same size and mtime is', async (t) => {
  const {dir, ctx} = setup(t)
  const store = path.join(dir, 'sums.json')
  const file = path.join(ctx, 'a.txt')
  const first = new FileSums(store, 0)
  const sum = first.sum(file, fs.lstatSync(file))
  first.save()
  // a kept sum stands for the file while lstat says the same
  const kept = JSON.parse(fs.readFileSync(store, 'utf8')) as Record<string, {sha256: string}>
  t.is(kept[file].sha256, sum)
  kept[file].sha256 = 'planted'
  fs.writeFileSync(store, JSON.stringify(kept))
  t.is(new FileSums(store, 0).sum(file, fs.lstatSync(file)), 'planted')
  const {mtime} = fs.statSync(file)
  fs.writeFileSync(file, 'Z')
  fs.utimesSync(file, mtime, mtime)
  t.not(new FileSums(store, 0).sum(file, fs.lstatSync(file)), 'planted')
})
