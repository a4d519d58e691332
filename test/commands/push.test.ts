// push, login and logout with the real CLI as the rootless test user, against Debian's registry
// set up as Podman's login tests set one up (TLS with a self-signed certificate, htpasswd users),
// and with Podman and skopeo on the other side.
import test from 'ava'
import {createHash} from 'node:crypto'
import * as fs from 'node:fs'
import * as https from 'node:https'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {busyboxImage} from '../helpers/oci-image'
import {writeOciArchive} from '../helpers/oci-layout'
import {Registry, startRegistry} from '../helpers/registry'
import {Sandbox, removeTree, runAs, sandbox, tspod, tspodOk} from '../helpers/rootless'

const USER = {username: 'pushuser', password: 'pushpass-s3cret'}
const CREDS = `${USER.username}:${USER.password}`

async function tlsRegistry(t: {teardown(fn: () => unknown): void}, accessLog = false): Promise<Registry> {
  const registry = await startRegistry({tls: true, auth: USER, accessLog})
  t.teardown(() => registry.stop())
  return registry
}

/** GET a path of the registry over https with the test user's credentials, no verification. */
function registryGet(registry: Registry, urlPath: string, accept: string): Promise<{status: number; type: string; body: Buffer}> {
  return new Promise((resolve, reject) => {
    const auth = Buffer.from(CREDS).toString('base64')
    const req = https.get(`https://${registry.host}${urlPath}`, {rejectUnauthorized: false, headers: {Authorization: `Basic ${auth}`, Accept: accept}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks)}))
    })
    req.on('error', reject)
  })
}

const V2S2 = 'application/vnd.docker.distribution.manifest.v2+json'
const OCI = 'application/vnd.oci.image.manifest.v1+json'

async function imageId(box: Sandbox, name: string): Promise<string> {
  return (await tspodOk(box, ['image', 'inspect', '--format', '{{.Id}}', name])).trim()
}

test('push to a TLS registry with htpasswd: wrong credentials, untrusted certificate, then --cert-dir, --creds, --format, --digestfile', async (t) => {
  const registry = await tlsRegistry(t)
  const box = await sandboxWithImages(t)
  const id = await imageId(box, 'localhost/busybox')

  const bad = await tspod(box, ['push', '--tls-verify=false', '--creds', 'baduser:wrong', 'localhost/busybox', `${registry.host}/badpush:1`])
  t.is(bad.code, 125)
  t.regex(bad.stderr, /^Error: [^\n]*: unauthorized: authentication required\n$/)

  const untrusted = await tspod(box, ['push', '--creds', CREDS, 'localhost/busybox', `${registry.host}/app:1`])
  t.is(untrusted.code, 125)
  t.regex(untrusted.stderr, new RegExp(`^Error: [^\\n]*pinging container registry ${registry.host}: Get "https://${registry.host}/v2/": x509: certificate signed by unknown authority\\n$`))

  const digestFile = path.join(box.dir, 'digest')
  const ok = await tspod(box, ['push', '--cert-dir', registry.certDir!, '--creds', CREDS, '--format', 'docker', '--digestfile', digestFile, 'localhost/busybox', `${registry.host}/app:1`])
  t.is(ok.code, 0, ok.stderr)
  t.is(ok.stdout, '')
  const lines = ok.stderr.split('\n')
  t.is(lines[0], 'Getting image source signatures')
  t.regex(lines[1], /^Copying blob sha256:[0-9a-f]{64}$/)
  t.deepEqual(lines.slice(2), [`Copying config sha256:${id}`, 'Writing manifest to image destination', 'Storing signatures', ''])

  const manifest = await registryGet(registry, '/v2/app/manifests/1', `${V2S2}, ${OCI}`)
  t.is(manifest.status, 200)
  t.is(manifest.type, V2S2)
  t.is(JSON.parse(manifest.body.toString()).config.digest, `sha256:${id}`)
  t.is(fs.readFileSync(digestFile, 'utf8'), `sha256:${createHash('sha256').update(manifest.body).digest('hex')}`)

  // -q: nothing on stderr; the repository has every blob already
  const again = await tspod(box, ['push', '-q', '--tls-verify=false', '--creds', CREDS, '--format', 'oci', 'localhost/busybox', `${registry.host}/app:oci`])
  t.is(again.code, 0, again.stderr)
  t.is(again.stderr, '')
  t.is((await registryGet(registry, '/v2/app/manifests/oci', `${V2S2}, ${OCI}`)).type, OCI)

  // pulled back into another store: the same image, found by its short name
  const other = sandbox(box.user)
  t.teardown(() => removeTree(other.dir))
  const pulled = await tspod(other, ['pull', '-q', '--tls-verify=false', '--creds', CREDS, `${registry.host}/app:1`])
  t.is(pulled.code, 0, pulled.stderr)
  t.is(pulled.stdout.trim(), id)
  t.is(await imageId(other, 'app:1'), id)
})

test('push errors: unknown image, format and compression are one line with exit 125', async (t) => {
  const box = await sandboxWithImages(t)
  const cases: [string[], string][] = [
    [['push', 'nosuch', 'oci:/tmp/x'], 'Error: nosuch: image not known\n'],
    [['push', '--format', 'v9', 'localhost/busybox', 'oci:/tmp/x'], `Error: unknown format "v9". Choose one of the supported formats: 'oci', 'v2s2', or 'docker'\n`],
    [['push', '--compression-format', 'lz9', 'localhost/busybox', 'oci:/tmp/x'], 'Error: cannot find compressor for "lz9"\n'],
  ]
  for (const [args, stderr] of cases) {
    const r = await tspod(box, args)
    t.is(r.code, 125, args.join(' '))
    t.is(r.stderr, stderr)
  }
})

test('uncompressed layers are gzipped on the way to a registry; the image ID stays', async (t) => {
  const registry = await tlsRegistry(t)
  const box = sandbox((await sandboxWithImages(t)).user)
  t.teardown(() => removeTree(box.dir))
  const image = await busyboxImage({compression: 'none'})
  const archive = path.join(box.dir, 'plain.tar')
  await writeOciArchive(archive, [{image, ref: 'localhost/plain:1'}])
  fs.chmodSync(archive, 0o644)
  t.is((await tspod(box, ['load', '-q', '-i', archive])).code, 0)
  const pushed = await tspod(box, ['push', '-q', '--tls-verify=false', '--creds', CREDS, 'localhost/plain:1', `${registry.host}/plain:1`])
  t.is(pushed.code, 0, pushed.stderr)
  const manifest = JSON.parse((await registryGet(registry, '/v2/plain/manifests/1', OCI)).body.toString())
  t.is(manifest.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip')
  const blob = await registryGet(registry, `/v2/plain/blobs/${manifest.layers[0].digest}`, '*/*')
  t.deepEqual([...blob.body.subarray(0, 2)], [0x1f, 0x8b])
  t.is(`sha256:${createHash('sha256').update(blob.body).digest('hex')}`, manifest.layers[0].digest)
  t.is(manifest.config.digest, image.configDigest)
})

test('a blob another repository of the registry has is mounted, not uploaded again', async (t) => {
  const registry = await tlsRegistry(t, true)
  const box = await sandboxWithImages(t)
  t.is((await tspod(box, ['push', '-q', '--tls-verify=false', '--creds', CREDS, 'localhost/busybox', `${registry.host}/first/app`])).code, 0)
  // the image now carries a name in that repository
  t.is((await tspod(box, ['pull', '-q', '--tls-verify=false', '--creds', CREDS, `${registry.host}/first/app`])).code, 0)
  const second = await tspod(box, ['push', '-q', '--tls-verify=false', '--creds', CREDS, `${registry.host}/first/app`, `${registry.host}/second/app`])
  t.is(second.code, 0, second.stderr)
  // and a push remembers where it put the blobs: the next push of them to the registry mounts them
  const third = await tspod(box, ['push', '-q', '--tls-verify=false', '--creds', CREDS, 'localhost/busybox', `${registry.host}/third/app`])
  t.is(third.code, 0, third.stderr)
  const log = registry.stderr()
  for (const repo of ['second', 'third']) {
    t.regex(log, new RegExp(`"POST /v2/${repo}/app/blobs/uploads/\\?mount=sha256%3A[0-9a-f]{64}&from=[a-z]+%2Fapp HTTP/[0-9.]+" 201`))
    t.notRegex(log, new RegExp(`"PATCH /v2/${repo}/app/`))
  }
})

test('login and logout: Podman messages, an auth.json that skopeo shares both ways, --get-login, REGISTRY_AUTH_FILE', async (t) => {
  const registry = await tlsRegistry(t)
  const box = await sandboxWithImages(t)
  const host = registry.host
  const authfile = path.join(box.dir, 'auth.json')

  const wrong = await tspod(box, ['login', '--authfile', authfile, '--tls-verify=false', '-u', USER.username, '--password-stdin', host], {input: 'x\n'})
  t.is(wrong.code, 125)
  t.is(wrong.stderr, `Error: logging into "${host}": invalid username/password\n`)
  t.false(fs.existsSync(authfile))

  const untrusted = await tspod(box, ['login', '--authfile', authfile, '-u', USER.username, '-p', USER.password, host])
  t.is(untrusted.code, 125)
  t.regex(untrusted.stderr, new RegExp(`^Error: authenticating creds for "${host}": pinging container registry ${host}: .*x509: certificate signed by unknown authority\\n$`))

  const login = await tspod(box, ['login', '--authfile', authfile, '--cert-dir', registry.certDir!, '-u', USER.username, '--password-stdin', host], {input: `${USER.password}\n`})
  t.is(login.stdout, 'Login Succeeded!\n', login.stderr)
  const auths = JSON.parse(fs.readFileSync(authfile, 'utf8')).auths
  t.is(Buffer.from(auths[host].auth, 'base64').toString(), CREDS)
  t.is((await tspod(box, ['login', '--authfile', authfile, '--get-login', host])).stdout, `${USER.username}\n`)

  // the stored credentials serve push, and skopeo reads the same file
  t.is((await tspod(box, ['push', '-q', '--authfile', authfile, '--tls-verify=false', 'localhost/busybox', `${host}/shared`])).code, 0)
  const skopeo = (args: string[]) => runAs(box.user, ['skopeo', ...args], {env: box.env})
  const inspected = await skopeo(['inspect', '--authfile', authfile, '--tls-verify=false', `docker://${host}/shared`])
  t.is(inspected.code, 0, inspected.stderr)
  t.is(JSON.parse(inspected.stdout).Name, `${host}/shared`)

  const logout = await tspod(box, ['logout', '--authfile', authfile, host])
  t.is(logout.stdout, `Removed login credentials for ${host}\n`)
  t.deepEqual(JSON.parse(fs.readFileSync(authfile, 'utf8')).auths, {})
  const denied = await skopeo(['inspect', '--authfile', authfile, '--tls-verify=false', `docker://${host}/shared`])
  t.is(denied.code, 1)
  t.regex(denied.stderr, /unauthorized: authentication required/)
  const notIn = await tspod(box, ['logout', '--authfile', authfile, host])
  t.is(notIn.code, 125)
  t.is(notIn.stderr, `Error: not logged into ${host}\n`)

  // skopeo's login is tspod's, through $REGISTRY_AUTH_FILE
  const envFile = path.join(box.dir, 'env-auth.json')
  const viaEnv = {env: {REGISTRY_AUTH_FILE: envFile}}
  t.is((await runAs(box.user, ['skopeo', 'login', '--tls-verify=false', '-u', USER.username, '-p', USER.password, host], viaEnv)).code, 0)
  t.is((await tspod(box, ['login', '--get-login', host], viaEnv)).stdout, `${USER.username}\n`)
  const existing = await tspod(box, ['login', '--tls-verify=false', host], viaEnv)
  t.is(existing.stdout, `Authenticating with existing credentials for ${host}\nExisting credentials are valid. Already logged in to ${host}\n`)
  t.is((await tspod(box, ['push', '-q', '--tls-verify=false', 'localhost/busybox', `${host}/viaenv`], viaEnv)).code, 0)
  t.is((await tspod(box, ['logout', '--all'], viaEnv)).stdout, 'Removed login credentials for all registries\n')
  t.deepEqual(JSON.parse(fs.readFileSync(envFile, 'utf8')).auths, {})
})

test('Podman, rootless, pulls and runs what tspod pushed; tspod pulls and runs what Podman pushed', async (t) => {
  const registry = await tlsRegistry(t)
  const box = await sandboxWithImages(t)
  const host = registry.host
  t.is((await tspod(box, ['push', '-q', '--tls-verify=false', '--creds', CREDS, 'localhost/busybox', `${host}/interop/from-tspod`])).code, 0)

  const root = path.join(box.dir, 'podman')
  const podman = (args: string[]) =>
    runAs(box.user, ['podman', '--root', `${root}/root`, '--runroot', `${root}/run`, '--storage-driver', 'vfs', '--events-backend', 'file', '--cgroup-manager', 'cgroupfs', '--runtime', 'crun', ...args], {
      env: {...box.env, CONTAINERS_CONF: '/dev/null'},
      timeoutMs: 120_000,
    })
  const pulled = await podman(['pull', '-q', '--tls-verify=false', '--creds', CREDS, `${host}/interop/from-tspod`])
  t.is(pulled.code, 0, pulled.stderr)
  const ran = await podman(['run', '--rm', '--network', 'none', `${host}/interop/from-tspod`, 'echo', 'hello from tspod'])
  t.is(ran.stdout, 'hello from tspod\n', ran.stderr)

  const pushed = await podman(['push', '-q', '--tls-verify=false', '--creds', CREDS, `${host}/interop/from-tspod`, `${host}/interop/from-podman`])
  t.is(pushed.code, 0, pushed.stderr)
  const other = sandbox(box.user)
  t.teardown(() => removeTree(other.dir))
  t.is((await tspod(other, ['pull', '-q', '--tls-verify=false', '--creds', CREDS, `${host}/interop/from-podman`])).code, 0)
  const back = await tspod(other, ['run', '--rm', `${host}/interop/from-podman`, 'echo', 'hello from podman'])
  t.is(back.stdout, 'hello from podman\n', back.stderr)
})

test('push to oci:, oci-archive:, docker-archive: and dir:, each pulled back as the same image', async (t) => {
  const box = await sandboxWithImages(t)
  const id = await imageId(box, 'localhost/busybox')
  const destinations = [
    `oci:${path.join(box.dir, 'layout')}:v1`,
    `oci-archive:${path.join(box.dir, 'image.oci.tar')}`,
    `docker-archive:${path.join(box.dir, 'image.docker.tar')}`,
    `dir:${path.join(box.dir, 'plain-dir')}`,
  ]
  for (const destination of destinations) {
    const pushed = await tspod(box, ['push', 'localhost/busybox', destination])
    t.is(pushed.code, 0, `${destination}: ${pushed.stderr}`)
    t.regex(pushed.stderr, /Writing manifest to image destination\nStoring signatures\n$/)
    const other = sandbox(box.user)
    t.teardown(() => removeTree(other.dir))
    const pulled = await tspod(other, ['pull', '-q', destination])
    t.is(pulled.code, 0, `${destination}: ${pulled.stderr}`)
    t.is(pulled.stdout.trim(), id, destination)
  }
  t.is(fs.readFileSync(path.join(box.dir, 'plain-dir', 'version'), 'utf8'), 'Directory Transport Version: 1.1\n')
})

test('--compression-format zstd: an OCI layout and a registry get zstd layers under an OCI manifest, which tspod and Podman pull and run', async (t) => {
  const registry = await tlsRegistry(t)
  const box = await sandboxWithImages(t)
  const id = await imageId(box, 'localhost/busybox')
  const layout = path.join(box.dir, 'zstd-layout')
  const pushed = await tspod(box, ['push', '-q', '--compression-format', 'zstd', 'localhost/busybox', `oci:${layout}:v1`])
  t.is(pushed.code, 0, pushed.stderr)
  const index = JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8'))
  const blob = (digest: string) => fs.readFileSync(path.join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)))
  const manifest = JSON.parse(blob(index.manifests[0].digest).toString())
  t.is(manifest.mediaType, OCI)
  for (const layer of manifest.layers) {
    t.is(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+zstd')
    t.deepEqual([...blob(layer.digest).subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd])
  }
  const other = sandbox(box.user)
  t.teardown(() => removeTree(other.dir))
  const pulled = await tspod(other, ['pull', '-q', `oci:${layout}:v1`])
  t.is(pulled.stdout.trim(), id, pulled.stderr)

  const docker = await tspod(box, ['push', '--compression-format', 'zstd', '--format', 'v2s2', 'localhost/busybox', `oci:${layout}:v2`])
  t.is(docker.code, 125)
  t.regex(docker.stderr, /^Error: zstd compression is not supported for docker images .*\n$/)

  const host = registry.host
  const toRegistry = await tspod(box, ['push', '-q', '--tls-verify=false', '--creds', CREDS, '--compression-format', 'zstd', 'localhost/busybox', `${host}/zstd/app:1`])
  t.is(toRegistry.code, 0, toRegistry.stderr)
  const remote = JSON.parse((await registryGet(registry, '/v2/zstd/app/manifests/1', `${OCI},${V2S2}`)).body.toString())
  t.is(remote.mediaType, OCI)
  t.true(remote.layers.every((l: {mediaType: string}) => l.mediaType.endsWith('+zstd')))
  const root = path.join(box.dir, 'podman')
  const podman = (args: string[]) =>
    runAs(box.user, ['podman', '--root', `${root}/root`, '--runroot', `${root}/run`, '--storage-driver', 'vfs', '--events-backend', 'file', '--cgroup-manager', 'cgroupfs', '--runtime', 'crun', ...args], {
      env: {...box.env, CONTAINERS_CONF: '/dev/null'},
      timeoutMs: 120_000,
    })
  const podmanPulled = await podman(['pull', '-q', '--tls-verify=false', '--creds', CREDS, `${host}/zstd/app:1`])
  t.is(podmanPulled.code, 0, podmanPulled.stderr)
  const ran = await podman(['run', '--rm', '--network', 'none', `${host}/zstd/app:1`, 'echo', 'zstd from tspod'])
  t.is(ran.stdout, 'zstd from tspod\n', ran.stderr)
})
