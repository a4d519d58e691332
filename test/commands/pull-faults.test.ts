// Pulls against a registry of our own that demands tokens and misbehaves on request: every
// failure is one clear line with exit 125 and an unchanged store; a pull killed mid-way leaves
// nothing after the next start.
import test from 'ava'
import {createHash, randomBytes} from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {spawn} from 'node:child_process'

import {FaultRegistry} from '../helpers/fault-registry'
import {graphRoot, leftovers, registrySandbox} from '../helpers/image-sandbox'
import {BuiltImage, busyboxImage, buildImage} from '../helpers/oci-image'
import {Sandbox, TSPOD_BIN, removeTree, tspod, userEnv} from '../helpers/rootless'

const CREDS = {username: 'alice', password: 's3cret'}

function serve(registry: FaultRegistry, repo: string, image: BuiltImage): void {
  registry.addBlob(repo, image.config)
  for (const layer of image.layers) registry.addBlob(repo, layer.data)
  registry.addManifest(repo, 'latest', image.manifest, image.mediaType)
}

async function setup(t: {teardown(fn: () => unknown): void}): Promise<{registry: FaultRegistry; box: Sandbox; image: BuiltImage}> {
  const registry = await FaultRegistry.start()
  const image = await busyboxImage()
  serve(registry, 'app', image)
  const box = registrySandbox(registry.host)
  t.teardown(async () => {
    await registry.close()
    removeTree(box.dir)
  })
  return {registry, box, image}
}

async function unchanged(box: Sandbox): Promise<{images: string; leftovers: string[]}> {
  return {images: (await tspod(box, ['images', '-q'])).stdout, leftovers: leftovers(box)}
}

test('bearer tokens: --creds, and login to an auth file then pull', async (t) => {
  const {registry, box, image} = await setup(t)
  registry.requireBearer({credentials: CREDS})
  const denied = await tspod(box, ['pull', '-q', `${registry.host}/app`])
  t.is(denied.code, 125)
  t.regex(denied.stderr, /^Error: [^\n]*(unauthorized|authentication required|invalid username\/password)[^\n]*\n$/)
  t.deepEqual(await unchanged(box), {images: '', leftovers: []})

  const withCreds = await tspod(box, ['pull', '-q', '--creds', 'alice:s3cret', `${registry.host}/app`])
  t.is(withCreds.stdout, `${image.configDigest.slice(7)}\n`, withCreds.stderr)

  const authfile = path.join(box.dir, 'auth.json')
  const badLogin = await tspod(box, ['login', '--authfile', authfile, '-u', 'alice', '-p', 'wrong', registry.host])
  t.is(badLogin.code, 125)
  t.regex(badLogin.stderr, /^Error: [^\n]*invalid username\/password[^\n]*\n$/)
  const login = await tspod(box, ['login', '--authfile', authfile, '-u', 'alice', '--password-stdin', registry.host], {input: 's3cret\n'})
  t.is(login.stdout, 'Login Succeeded!\n', login.stderr)
  t.is(fs.statSync(authfile).mode & 0o777, 0o600)
  t.is((await tspod(box, ['rmi', '-a'])).code, 0)
  const pulled = await tspod(box, ['pull', '-q', '--authfile', authfile, `${registry.host}/app`])
  t.is(pulled.code, 0, pulled.stderr)
  const logout = await tspod(box, ['logout', '--authfile', authfile, registry.host])
  t.is(logout.stdout, `Removed login credentials for ${registry.host}\n`)
})

test('5xx and 429 are retried; a wrong digest fails with the store unchanged', async (t) => {
  const {registry, box, image} = await setup(t)
  registry.inject(/\/manifests\//, {status: 503}, 2)
  registry.inject(/\/blobs\//, {status: 429, headers: {'Retry-After': '0'}}, 1)
  const retried = await tspod(box, ['pull', '-q', `${registry.host}/app`])
  t.is(retried.code, 0, retried.stderr)
  t.is((await tspod(box, ['rmi', '-a'])).code, 0)

  registry.inject(new RegExp(image.layers[0].digest), {wrongBytes: true}, 10)
  const wrong = await tspod(box, ['pull', '-q', `${registry.host}/app`])
  t.is(wrong.code, 125)
  t.regex(wrong.stderr, /^Error: [^\n]*Digest did not match, expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}\n$/)
  t.deepEqual(await unchanged(box), {images: '', leftovers: []})
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'overlay')), [])
})

test('a 404 is manifest unknown, in Podman words', async (t) => {
  const {registry, box} = await setup(t)
  const r = await tspod(box, ['pull', `${registry.host}/nothere:1`])
  t.is(r.code, 125)
  t.regex(r.stderr, new RegExp(`Error: initializing source docker://${registry.host}/nothere:1: reading manifest 1 in ${registry.host}/nothere: (manifest unknown|name unknown)[^\\n]*\\n$`))
})

test('a pull killed in the middle leaves nothing behind after the next start', async (t) => {
  const registry = await FaultRegistry.start()
  // A layer big enough to be mid-download when the stall hits.
  const big = await buildImage({layers: [[{path: 'big', type: 'file', content: Buffer.alloc(4 << 20, 7)}]]})
  serve(registry, 'big', big)
  const box = registrySandbox(registry.host)
  t.teardown(async () => {
    await registry.close()
    removeTree(box.dir)
  })
  registry.inject(new RegExp(big.layers[0].digest), {stallAfter: 1000}, 10)
  const child = spawn('setpriv', ['--reuid', String(box.user.uid), '--regid', String(box.user.gid), '--init-groups', '--', process.execPath, TSPOD_BIN, 'pull', '-q', `${registry.host}/big`], {
    env: userEnv(box.user, box.env),
    stdio: 'ignore',
  })
  const tmp = path.join(graphRoot(box), 'tmp')
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline && !(fs.existsSync(tmp) && fs.readdirSync(tmp).some((d) => fs.readdirSync(path.join(tmp, d)).length > 0))) {
    await new Promise((r) => setTimeout(r, 50))
  }
  t.true(leftovers(box).length > 0, 'the pull was downloading')
  child.kill('SIGKILL')
  await new Promise((r) => child.on('close', r))
  const after = await tspod(box, ['images', '-q'])
  t.is(after.code, 0, after.stderr)
  t.is(after.stdout, '')
  t.deepEqual(leftovers(box), [])
})

test('--tls-verify=false reaches a plain-http registry that registries.conf does not mark insecure', async (t) => {
  const registry = await FaultRegistry.start()
  serve(registry, 'app', await busyboxImage())
  const box = registrySandbox('example.invalid')
  t.teardown(async () => {
    await registry.close()
    removeTree(box.dir)
  })
  const refused = await tspod(box, ['pull', '-q', `${registry.host}/app`])
  t.is(refused.code, 125)
  t.regex(refused.stderr, /^Error: [^\n]*pinging container registry [^\n]*\n$/)
  const ok = await tspod(box, ['pull', '-q', '--tls-verify=false', `${registry.host}/app`])
  t.is(ok.code, 0, ok.stderr)
})

/** A registry serving an image whose one layer is 4 MiB of random bytes (a blob of about that size). */
async function bigLayerSetup(t: {teardown(fn: () => unknown): void}): Promise<{registry: FaultRegistry; box: Sandbox; image: BuiltImage; blobPath: string}> {
  const registry = await FaultRegistry.start()
  const image = await buildImage({layers: [[{path: 'big', type: 'file', content: randomBytes(4 << 20)}]]})
  serve(registry, 'stall', image)
  const box = registrySandbox(registry.host)
  t.teardown(async () => {
    await registry.close()
    removeTree(box.dir)
  })
  return {registry, box, image, blobPath: `/v2/stall/blobs/${image.layers[0].digest}`}
}

function writeContainersConf(box: Sandbox, text: string): string {
  const dir = path.join(box.env.XDG_CONFIG_HOME, 'containers')
  fs.mkdirSync(dir, {recursive: true})
  const file = path.join(dir, 'containers.conf')
  fs.writeFileSync(file, text)
  for (const p of [box.env.XDG_CONFIG_HOME, dir, file]) fs.chownSync(p, box.user.uid, box.user.gid)
  return file
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('WARN'))
}

test('a layer that stalls for 60 s mid-stream resumes after the idle timeout, with one warning', async (t) => {
  const {registry, box, image, blobPath} = await bigLayerSetup(t)
  const layer = image.layers[0]
  registry.inject(blobPath, {stallAfter: 1 << 20, forMs: 60_000})
  const started = Date.now()
  const pull = await tspod(box, ['pull', `${registry.host}/stall`], {timeoutMs: 90_000})
  const elapsed = Date.now() - started
  t.log(`pull with a 60 s stall took ${elapsed} ms`)
  t.is(pull.code, 0, pull.stderr)
  t.true(elapsed < 20_000, `took ${elapsed} ms`)
  t.is(pull.stdout, `${image.configDigest.slice(7)}\n`)
  t.deepEqual(warnings(pull.stderr), [`WARN[0000] Copying blob ${layer.digest.slice(7, 19)}: ${registry.host} sent nothing for 10s; resuming at byte ${1 << 20}`])
  t.deepEqual(
    registry.requests.filter((r) => r.url === blobPath).map((r) => r.headers.range),
    [undefined, `bytes=${1 << 20}-`],
  )
  // the blob kept in the store, spliced from the two answers, is the one the manifest names
  const overlay = path.join(graphRoot(box), 'overlay')
  const kept = fs.readdirSync(overlay).map((id) => path.join(overlay, id, 'blob')).filter((f) => fs.existsSync(f))
  t.deepEqual(kept.map((f) => `sha256:${createHash('sha256').update(fs.readFileSync(f)).digest('hex')}`), [layer.digest])
  t.deepEqual(leftovers(box), [])
})

test('a layer that stalls on every attempt fails in one line naming the registry, the blob and the timeout; the store is unchanged', async (t) => {
  const {registry, box, image, blobPath} = await bigLayerSetup(t)
  const digest = image.layers[0].digest
  writeContainersConf(box, '[engine]\nregistry_idle_timeout = "2s"\n')
  registry.inject(blobPath, {stallAfter: 100_000}, Infinity)
  const pull = await tspod(box, ['pull', `${registry.host}/stall`], {timeoutMs: 90_000})
  t.is(pull.code, 125)
  t.deepEqual(warnings(pull.stderr), [`WARN[0000] Copying blob ${digest.slice(7, 19)}: ${registry.host} sent nothing for 2s; resuming at byte 100000`])
  const errors = pull.stderr.split('\n').filter((line) => line.startsWith('Error'))
  t.deepEqual(errors, [
    `Error: copying blob ${digest}: reading blob ${digest} in ${registry.host}/stall: Get "http://${registry.host}${blobPath}": idle timeout: no data received for 2s (gave up after 5 attempts)`,
  ])
  t.is(registry.count(blobPath), 5)
  t.deepEqual(await unchanged(box), {images: '', leftovers: []})
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'overlay')), [])
})

test('the idle timeout: the environment over containers.conf; manifests and configs time out too; a bad value is one line', async (t) => {
  const {registry, box, image} = await bigLayerSetup(t)
  const conf = writeContainersConf(box, '[engine]\nregistry_idle_timeout = "30s"\n')
  const fast = {TSPOD_REGISTRY_IDLE_TIMEOUT: '1s'}
  // the client tries each request five times
  registry.inject('/v2/stall/manifests/latest', {stallHeaders: true}, 5)
  const stalled = await tspod(box, ['pull', '-q', `${registry.host}/stall`], {env: fast, timeoutMs: 90_000})
  t.is(stalled.code, 125)
  t.is(
    stalled.stderr,
    `Error: initializing source docker://${registry.host}/stall:latest: reading manifest latest in ${registry.host}/stall: ` +
      `Get "http://${registry.host}/v2/stall/manifests/latest": timeout awaiting response headers: no answer for 1s\n`,
  )
  t.deepEqual(await unchanged(box), {images: '', leftovers: []})

  registry.inject(`/v2/stall/blobs/${image.configDigest}`, {stallHeaders: true})
  const configStalled = await tspod(box, ['pull', '-q', `${registry.host}/stall`], {env: fast, timeoutMs: 90_000})
  t.is(configStalled.code, 0, configStalled.stderr)
  t.is(configStalled.stderr, `WARN[0000] Copying config ${image.configDigest.slice(7, 19)}: ${registry.host} sent nothing for 1s; trying again\n`)
  t.is((await tspod(box, ['rmi', '-a'])).code, 0)

  const badEnv = await tspod(box, ['pull', '-q', `${registry.host}/stall`], {env: {TSPOD_REGISTRY_IDLE_TIMEOUT: 'soon'}})
  t.is(badEnv.code, 125)
  t.is(badEnv.stderr, 'Error: invalid registry idle timeout "soon" ($TSPOD_REGISTRY_IDLE_TIMEOUT): use a positive duration such as "10s" or "1m"\n')
  writeContainersConf(box, '[engine]\nregistry_idle_timeout = "0s"\n')
  const badConf = await tspod(box, ['pull', '-q', `${registry.host}/stall`])
  t.is(badConf.code, 125)
  t.is(badConf.stderr, `Error: invalid registry idle timeout "0s" (registry_idle_timeout in ${conf}): use a positive duration such as "10s" or "1m"\n`)
  t.deepEqual(await unchanged(box), {images: '', leftovers: []})
})
