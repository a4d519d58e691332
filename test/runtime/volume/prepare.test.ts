// @userns
// Named volumes of a container as the rootless test user: attached (created, recorded) and
// prepared for the first start (copy-up of the image's contents, chown to the destination's
// owner) through tspod's namespace primitive, then released and removed — files owned by
// subordinate ids included.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {graphRoot} from '../../helpers/image-sandbox'
import {busyboxLayer, buildImage, multiLayerImage, writeOciArchive} from '../../helpers/oci-image'
import {Sandbox, TEST_USER, lookupUser, removeTree, runAs, sandbox, tspod} from '../../helpers/rootless'

const FIXTURE = path.join(__dirname, 'fixtures', 'attach-volumes.js')
const user = lookupUser(TEST_USER)

function subIdStart(file: string): number {
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${user.name}:`))!
  return Number(line.split(':')[1])
}
/** Host id of container id n (n ≥ 1) in the user's namespace. */
const hostUid = (n: number) => subIdStart('/etc/subuid') + n - 1
const hostGid = (n: number) => subIdStart('/etc/subgid') + n - 1

/** localhost/multi (whiteouts, an opaque dir, a 1234-owned and a setuid file) and localhost/links. */
async function sandboxWithImages(t: {teardown(fn: () => unknown): void}): Promise<Sandbox> {
  const box = sandbox(user)
  t.teardown(() => removeTree(box.dir))
  const links = await buildImage({
    layers: [
      await busyboxLayer(),
      [
        {path: 'hostetc', type: 'symlink', linkname: '/etc'},
        {path: 'chain', type: 'symlink', linkname: '/hostetc'},
        {path: 'owned/', type: 'dir', mode: 0o750, uid: 1234, gid: 1234},
        {path: 'rootdir/', type: 'dir', mode: 0o711},
      ],
    ],
  })
  const archive = path.join(box.dir, 'images.tar')
  await writeOciArchive(archive, [
    {image: await multiLayerImage(), ref: 'localhost/multi:latest'},
    {image: links, ref: 'localhost/links:latest'},
  ])
  fs.chmodSync(archive, 0o644)
  const load = await tspod(box, ['load', '-q', '-i', archive])
  if (load.code !== 0) throw new Error(load.stderr)
  return box
}

interface Report {
  containerId?: string
  mounts?: {destination: string; source: string; options: string[]}[]
  volumes?: {name: string; needsCopyUp: boolean; needsChown: boolean; uid?: number; gid?: number; anonymous: boolean}[]
  removed?: string[]
  error?: {message: string}
}

async function attach(box: Sandbox, request: Record<string, unknown>): Promise<Report> {
  const r = await runAs(user, [process.execPath, FIXTURE, JSON.stringify(request)], {env: box.env})
  if (r.code !== 0) throw new Error(`fixture failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as Report
}

function listing(dir: string): Record<string, {uid: number; gid: number; mode: number; content?: string}> {
  const out: Record<string, {uid: number; gid: number; mode: number; content?: string}> = {}
  for (const name of fs.readdirSync(dir).sort()) {
    const st = fs.lstatSync(path.join(dir, name))
    out[name] = {uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, ...(st.isFile() ? {content: fs.readFileSync(path.join(dir, name), 'utf8')} : {})}
  }
  return out
}

test('the first start copies the image contents at the destination in: layers merged, owners and modes kept', async (t) => {
  const box = await sandboxWithImages(t)
  const report = await attach(box, {
    image: 'localhost/multi',
    volumes: [
      {name: 'data', destination: '/data', options: []},
      {destination: '/opq', options: ['ro']},
      {name: 'skipped', destination: '/data', options: ['nocopy']},
    ],
    user: {uid: 0, gid: 0},
  })
  t.is(report.error, undefined)
  const [data, opq, skipped] = report.volumes!
  t.like(data, {name: 'data', needsCopyUp: false, needsChown: false, anonymous: false})
  t.like(opq, {needsCopyUp: false, needsChown: false, anonymous: true})
  const dataDir = path.join(graphRoot(box), 'volumes', 'data', '_data')
  t.deepEqual(report.mounts![0], {destination: '/data', type: 'bind', source: dataDir, options: ['rprivate', 'nosuid', 'nodev', 'rbind']} as never)
  t.deepEqual(listing(dataDir), {
    'keep.txt': {uid: user.uid, gid: user.gid, mode: 0o644, content: 'keep\n'},
    setuid: {uid: user.uid, gid: user.gid, mode: 0o4755, content: '#!/bin/sh\necho setuid\n'},
    'user-owned.txt': {uid: hostUid(1234), gid: hostGid(1234), mode: 0o644, content: 'owned by user\n'},
  })
  // an opaque dir of the top layer hides the lower one's files
  t.deepEqual(Object.keys(listing(report.mounts![1].source)), ['upper.txt'])
  t.deepEqual(report.mounts![1].options, ['ro', 'rprivate', 'nosuid', 'nodev', 'rbind'])
  // nocopy: nothing copied, but the chown to the destination's owner still happens (root: 0:0, sticky)
  t.like(skipped, {needsCopyUp: true, needsChown: false})
  t.deepEqual(fs.readdirSync(report.mounts![2].source), [])
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'staging')), [])

  // a second container finds the volume prepared: nothing is copied again
  fs.rmSync(path.join(dataDir, 'keep.txt'))
  const again = await attach(box, {image: 'localhost/multi', volumes: [{name: 'data', destination: '/data', options: []}], user: {uid: 0, gid: 0}})
  t.is(again.error, undefined)
  t.false(fs.existsSync(path.join(dataDir, 'keep.txt')))

  // rm -v of the first container: its anonymous volume goes, with its files; named ones stay
  const released = await attach(box, {image: 'localhost/multi', volumes: [], release: {containerId: report.containerId, removeAnonymous: true}})
  t.deepEqual(released.removed, [opq.name])
  t.false(fs.existsSync(path.dirname(report.mounts![1].source)))
  // the CLI removes a volume holding files of subordinate ids
  const rm = await tspod(box, ['volume', 'rm', 'skipped'])
  t.is(rm.code, 0, rm.stderr)
  const inUse = await tspod(box, ['volume', 'rm', 'data'])
  t.is(inUse.code, 2)
  t.regex(inUse.stderr, /^Error: volume data is being used by the following container\(s\): [0-9a-f]{64}: volume is being used\n$/)
  await attach(box, {image: 'localhost/multi', volumes: [], release: {containerId: again.containerId, removeAnonymous: true}})
  const free = await tspod(box, ['volume', 'rm', 'data'])
  t.is(free.code, 0, free.stderr)
  t.is(free.stdout, 'data\n')
  t.false(fs.existsSync(path.join(graphRoot(box), 'volumes', 'data')))
})

test('a destination behind a symlink resolves inside the image, never on the host', async (t) => {
  const box = await sandboxWithImages(t)
  const report = await attach(box, {
    image: 'localhost/links',
    volumes: [
      {name: 'abs', destination: '/hostetc', options: []},
      {name: 'chain', destination: '/chain', options: []},
    ],
    user: {uid: 0, gid: 0},
  })
  t.is(report.error, undefined)
  for (const mount of report.mounts!) {
    const names = Object.keys(listing(mount.source))
    t.true(names.includes('passwd'), mount.destination)
    t.false(names.includes('debian_version'), `${mount.destination} got the host's /etc`)
    t.is(fs.readFileSync(path.join(mount.source, 'passwd'), 'utf8').split('\n')[1], 'user:x:1234:1234:user:/home/user:/bin/sh')
  }
})

test('chown: an empty volume takes the destination owner and mode, else the process user, until a root owner sticks', async (t) => {
  const box = await sandboxWithImages(t)
  const report = await attach(box, {
    image: 'localhost/links',
    volumes: [
      {name: 'owned', destination: '/owned', options: []},
      {name: 'nowhere', destination: '/does/not/exist', options: []},
      {name: 'rootdir', destination: '/rootdir', options: []},
      {name: 'file', destination: '/etc/passwd', options: []},
    ],
    user: {uid: 4321, gid: 4322},
  })
  t.is(report.error, undefined)
  const st = (name: string) => fs.statSync(path.join(graphRoot(box), 'volumes', name, '_data'))
  const [owned, nowhere, rootdir, file] = report.volumes!
  t.deepEqual([st('owned').uid, st('owned').gid, st('owned').mode & 0o7777], [hostUid(1234), hostGid(1234), 0o750])
  t.like(owned, {uid: 1234, gid: 1234, needsChown: true, needsCopyUp: true})
  t.deepEqual([st('nowhere').uid, st('nowhere').gid], [hostUid(4321), hostGid(4322)])
  t.like(nowhere, {uid: 4321, gid: 4322, needsChown: true})
  t.deepEqual([st('rootdir').uid, st('rootdir').gid, st('rootdir').mode & 0o7777], [user.uid, user.gid, 0o711])
  t.like(rootdir, {uid: 0, gid: 0, needsChown: false})
  // a file at the destination is mounted over, not copied
  t.like(file, {uid: 4321, gid: 4322, needsCopyUp: true})
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'volumes', 'file', '_data')), [])

  // a volume with contents is never chowned again (and never copied into)
  fs.writeFileSync(path.join(graphRoot(box), 'volumes', 'nowhere', '_data', 'mine'), 'x')
  const second = await attach(box, {image: 'localhost/links', volumes: [{name: 'nowhere', destination: '/owned', options: []}], user: {uid: 7, gid: 7}})
  t.like(second.volumes![0], {needsChown: false, needsCopyUp: true})
  t.deepEqual([st('nowhere').uid, st('nowhere').gid], [hostUid(4321), hostGid(4322)])
})

test('a real-root store prepares volumes the same way, without a user namespace', async (t) => {
  const root = {name: 'root', uid: 0, gid: 0, home: '/root'}
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-volumes-root-'))
  t.teardown(() => removeTree(dir))
  const conf = path.join(dir, 'storage.conf')
  fs.writeFileSync(conf, `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/graph"\nrunroot = "${dir}/run"\n`)
  const box: Sandbox = {user: root, dir, env: {TSPOD_STORAGE_CONF: conf}}
  const archive = path.join(dir, 'images.tar')
  await writeOciArchive(archive, [{image: await multiLayerImage(), ref: 'localhost/multi:latest'}])
  const load = await tspod(box, ['load', '-q', '-i', archive])
  t.is(load.code, 0, load.stderr)
  const r = await runAs(root, [process.execPath, FIXTURE, JSON.stringify({image: 'localhost/multi', volumes: [{name: 'data', destination: '/data', options: []}, {name: 'empty', destination: '/nothing', options: []}], user: {uid: 55, gid: 66}})], {env: box.env})
  const report = JSON.parse(r.stdout) as Report
  t.is(report.error, undefined, r.stdout + r.stderr)
  t.deepEqual(listing(path.join(dir, 'graph', 'volumes', 'data', '_data')), {
    'keep.txt': {uid: 0, gid: 0, mode: 0o644, content: 'keep\n'},
    setuid: {uid: 0, gid: 0, mode: 0o4755, content: '#!/bin/sh\necho setuid\n'},
    'user-owned.txt': {uid: 1234, gid: 1234, mode: 0o644, content: 'owned by user\n'},
  })
  const empty = fs.statSync(path.join(dir, 'graph', 'volumes', 'empty', '_data'))
  t.deepEqual([empty.uid, empty.gid], [55, 66])
  t.like(report.volumes![1], {uid: 55, gid: 66, needsChown: true})
  t.deepEqual(fs.readdirSync(path.join(dir, 'graph', 'staging')), [])
})
