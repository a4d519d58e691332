import test from 'ava'

import {UsageError} from '../../../../src/errors'
import {
  DockerReference,
  isImageId,
  isShortName,
  parseNormalizedName,
  parseReferenceParts,
  registryEndpoint,
} from '../../../../src/storage/image/reference/docker-reference'

const HEX64 = 'f'.repeat(64)
const DIGEST = `sha256:${HEX64}`

test('short and qualified names normalize as ParseNormalizedNamed does', (t) => {
  const cases: Array<[string, string, string, string]> = [
    // input, toString, domain, path
    ['alpine', 'docker.io/library/alpine', 'docker.io', 'library/alpine'],
    ['alpine:3.20', 'docker.io/library/alpine:3.20', 'docker.io', 'library/alpine'],
    ['library/alpine', 'docker.io/library/alpine', 'docker.io', 'library/alpine'],
    ['docker.io/library/alpine', 'docker.io/library/alpine', 'docker.io', 'library/alpine'],
    ['docker.io/alpine', 'docker.io/library/alpine', 'docker.io', 'library/alpine'],
    ['index.docker.io/alpine', 'docker.io/library/alpine', 'docker.io', 'library/alpine'],
    ['index.docker.io/docker/docker', 'docker.io/docker/docker', 'docker.io', 'docker/docker'],
    ['dmcgowan/myapp', 'docker.io/dmcgowan/myapp', 'docker.io', 'dmcgowan/myapp'],
    ['library/foo/bar', 'docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
    ['localhost/app', 'localhost/app', 'localhost', 'app'],
    ['localhost:5000/a/b:c', 'localhost:5000/a/b:c', 'localhost:5000', 'a/b'],
    [`127.0.0.1:5000/x@${DIGEST}`, `127.0.0.1:5000/x@${DIGEST}`, '127.0.0.1:5000', 'x'],
    ['quay.io/podman/stable:v5', 'quay.io/podman/stable:v5', 'quay.io', 'podman/stable'],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux'],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io', 'test.example.com/my-app'],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage'],
    ['docker---rules/docker', 'docker.io/docker---rules/docker', 'docker.io', 'docker---rules/docker'],
    ['dock__er/docker', 'docker.io/dock__er/docker', 'docker.io', 'dock__er/docker'],
    ['lowercase:Uppercase', 'docker.io/library/lowercase:Uppercase', 'docker.io', 'library/lowercase'],
    ['foo/foo_bar.com:8080', 'docker.io/foo/foo_bar.com:8080', 'docker.io', 'foo/foo_bar.com'],
    [
      'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'docker.io',
      'library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
    ],
  ]
  for (const [input, full, domain, path] of cases) {
    const ref = parseNormalizedName(input)
    t.is(ref.toString(), full, input)
    t.is(ref.domain, domain, input)
    t.is(ref.path, path, input)
    t.is(ref.repository(), `${domain}/${path}`, input)
  }
})

test('tags and digests are kept apart, both may be present', (t) => {
  const ref = parseNormalizedName(`busybox:latest@${DIGEST}`)
  t.is(ref.tag, 'latest')
  t.is(ref.digest, DIGEST)
  t.is(ref.toString(), `docker.io/library/busybox:latest@${DIGEST}`)
  t.is(ref.familiar(), `busybox:latest@${DIGEST}`)
  const sha512 = `sha512:${'f'.repeat(128)}`
  const r2 = parseNormalizedName(`xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`)
  t.is(r2.tag, 'xn--7o8h.com')
  t.is(r2.digest, sha512)
  t.is(parseNormalizedName('alpine').tag, undefined)
  t.is(parseNormalizedName('alpine').digest, undefined)
  t.is(parseNormalizedName('test.com:5000/repo').tag, undefined)
})

test('familiar() drops docker.io and library/ as Docker prints names', (t) => {
  const cases: Array<[string, string]> = [
    ['docker.io/library/ubuntu', 'ubuntu'],
    ['library/ubuntu:22.04', 'ubuntu:22.04'],
    ['docker.io/fooo/bar', 'fooo/bar'],
    ['docker.io/library/foo/bar', 'library/foo/bar'],
    ['docker.io/other/library', 'other/library'],
    ['127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase'],
    ['example.com/privatebase:1', 'example.com/privatebase:1'],
  ]
  for (const [input, familiar] of cases) t.is(parseNormalizedName(input).familiar(), familiar, input)
})

test('withDefaultTag adds latest only without tag and digest; withTag/withDigest/withoutTagOrDigest', (t) => {
  t.is(parseNormalizedName('alpine').withDefaultTag().toString(), 'docker.io/library/alpine:latest')
  t.is(parseNormalizedName('alpine:edge').withDefaultTag().toString(), 'docker.io/library/alpine:edge')
  t.is(parseNormalizedName(`alpine@${DIGEST}`).withDefaultTag().toString(), `docker.io/library/alpine@${DIGEST}`)
  const ref = parseNormalizedName('quay.io/a/b')
  t.is(ref.withTag('v1').withDigest(DIGEST).toString(), `quay.io/a/b:v1@${DIGEST}`)
  t.is(ref.withTag('v1').withDigest(DIGEST).withoutTagOrDigest().toString(), 'quay.io/a/b')
  t.throws(() => ref.withTag('-foo'), {instanceOf: UsageError, message: 'invalid tag format'})
  t.throws(() => ref.withDigest('foo'), {instanceOf: UsageError, message: 'invalid digest format'})
  t.throws(() => ref.withDigest(`sha256:${'f'.repeat(40)}`), {message: 'invalid checksum digest length'})
})

test('the constructor validates its parts', (t) => {
  t.is(new DockerReference({domain: 'localhost:5000', path: 'a/b', tag: 'c'}).toString(), 'localhost:5000/a/b:c')
  t.throws(() => new DockerReference({domain: 'a_b.com', path: 'x'}), {message: 'invalid reference format'})
  t.throws(() => new DockerReference({domain: 'a.com', path: 'X'}), {message: 'invalid reference format'})
  t.throws(() => new DockerReference({domain: 'a.com', path: 'a'.repeat(250)}), {
    message: 'repository name must not be more than 255 characters',
  })
})

test('bad names fail with containers/image wording', (t) => {
  const cases: Array<[string, string]> = [
    ['Upper/Case', 'invalid reference format: repository name must be lowercase'],
    ['docker/Docker', 'invalid reference format: repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'invalid reference format: repository name must be lowercase'],
    ['a:b:c', 'invalid reference format'],
    ['', 'invalid reference format'],
    [':justtag', 'invalid reference format'],
    [`@${DIGEST}`, 'invalid reference format'],
    ['aa/asdf$$^/aa', 'invalid reference format'],
    ['https://github.com/docker/docker', 'invalid reference format'],
    ['-docker', 'invalid reference format'],
    ['-docker/docker', 'invalid reference format'],
    ['docker-/docker', 'invalid reference format'],
    ['-docker.io/docker/docker', 'invalid reference format'],
    ['docker///docker', 'invalid reference format'],
    ['docker.io/docker///docker', 'invalid reference format'],
    ['____/____', 'invalid reference format'],
    ['_docker/_docker', 'invalid reference format'],
    ['dock..er/docker', 'invalid reference format'],
    ['dock_.er/docker', 'invalid reference format'],
    ['dock-.er/docker', 'invalid reference format'],
    ['docker/', 'invalid reference format'],
    ['foo_bar.com/x', 'invalid reference format'],
    [`alpine:${'t'.repeat(129)}`, 'invalid reference format'],
    [`repo@sha256:${'f'.repeat(34)}`, 'invalid checksum digest length'],
    [`validname@invaliddigest:${HEX64}`, 'unsupported digest algorithm'],
    [`repo@sha256:${'F'.repeat(64)}`, 'invalid checksum digest format'],
    [
      '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'invalid repository name (1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), cannot specify 64-byte hexadecimal strings',
    ],
    [`${'a/'.repeat(128)}a:tag`, 'repository name must not be more than 255 characters'],
    ['a'.repeat(250), 'repository name must not be more than 255 characters'],
  ]
  for (const [input, message] of cases) {
    t.throws(() => parseNormalizedName(input), {instanceOf: UsageError, message}, input)
  }
})

test('the 255 limit counts the name only: a long tag is fine', (t) => {
  // reference_test.go: 127 "a/" + "a" is exactly 255 characters.
  const name = `${'a/'.repeat(127)}a`
  const parts = parseReferenceParts(`${name}:tag-puts-this-over-max`)
  t.is(parts.domain, 'a')
  t.is(parts.tag, 'tag-puts-this-over-max')
  t.throws(() => parseNormalizedName(`${name}:x`), {message: 'repository name must not be more than 255 characters'})
})

test('parseReferenceParts splits as distribution reference.Parse does, without normalizing', (t) => {
  t.deepEqual(parseReferenceParts('test_com'), {domain: undefined, path: 'test_com', tag: undefined, digest: undefined})
  t.deepEqual(parseReferenceParts('test.com:tag'), {domain: undefined, path: 'test.com', tag: 'tag', digest: undefined})
  t.deepEqual(parseReferenceParts('test.com:5000'), {domain: undefined, path: 'test.com', tag: '5000', digest: undefined})
  t.deepEqual(parseReferenceParts(`test:5000/repo:tag@${DIGEST}`), {domain: 'test:5000', path: 'repo', tag: 'tag', digest: DIGEST})
  t.deepEqual(parseReferenceParts('library/alpine'), {domain: 'library', path: 'alpine', tag: undefined, digest: undefined})
  t.deepEqual(parseReferenceParts('test_com/foo'), {domain: undefined, path: 'test_com/foo', tag: undefined, digest: undefined})
  t.deepEqual(parseReferenceParts('foo_bar.com:8080'), {domain: undefined, path: 'foo_bar.com', tag: '8080', digest: undefined})
  t.throws(() => parseReferenceParts(''), {message: 'repository name must have at least one component'})
  t.throws(() => parseReferenceParts('Uppercase:tag'), {message: 'repository name must be lowercase'})
  t.throws(() => parseReferenceParts('a:b:c'), {message: 'invalid reference format'})
})

test('pathological input fails fast (no exponential backtracking)', (t) => {
  const start = process.hrtime.bigint()
  for (const bad of ['a'.repeat(5000) + '!', 'a-'.repeat(2000) + '!', 'a.'.repeat(2000) + '/!', `${'a__a'.repeat(1000)}/A`]) {
    t.throws(() => parseNormalizedName(bad))
  }
  t.true(Number(process.hrtime.bigint() - start) / 1e6 < 1000)
})

test('isShortName: no registry in the first component, and not an image ID', (t) => {
  for (const name of ['alpine', 'alpine:3.20', 'library/alpine', 'library/fedora', 'image:tag', `image@${DIGEST}`, 'abc123']) {
    t.true(isShortName(name), name)
  }
  for (const name of [
    'quay.io/image',
    'localhost/image:tag',
    'localhost:5000/a/b:c',
    'server.org:5000/lib/image',
    'docker.io/library/alpine',
    HEX64,
    DIGEST,
    'Upper/Case',
    'a:b:c',
  ]) {
    t.false(isShortName(name), name)
  }
  t.true(isImageId(HEX64))
  t.true(isImageId(DIGEST))
  t.false(isImageId('abc123'))
})

test('registryEndpoint: Docker Hub is served from registry-1.docker.io', (t) => {
  t.is(registryEndpoint('docker.io'), 'registry-1.docker.io')
  t.is(registryEndpoint('quay.io'), 'quay.io')
  t.is(registryEndpoint('localhost:5000'), 'localhost:5000')
})
