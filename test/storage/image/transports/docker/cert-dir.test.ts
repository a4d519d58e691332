// Certificate directories as containers-certs.d(5) describes them.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {certDirFor, readCertDir} from '../../../../../src/storage/image/transports/docker/cert-dir'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-certs-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('*.crt are CAs; a *.cert with its *.key is the client certificate; other files are ignored', (t) => {
  const dir = tempDir(t)
  fs.writeFileSync(path.join(dir, 'a.crt'), 'CA-A')
  fs.writeFileSync(path.join(dir, 'b.crt'), 'CA-B')
  fs.writeFileSync(path.join(dir, 'client.cert'), 'CERT')
  fs.writeFileSync(path.join(dir, 'client.key'), 'KEY')
  fs.writeFileSync(path.join(dir, 'README'), 'x')
  t.deepEqual(readCertDir(dir), {ca: ['CA-A', 'CA-B'], cert: 'CERT', key: 'KEY'})
})

test('a certificate without its key, or a key without its certificate, is an error', (t) => {
  const lone = tempDir(t)
  fs.writeFileSync(path.join(lone, 'client.cert'), 'CERT')
  t.throws(() => readCertDir(lone), {message: 'missing key client.key for client certificate client.cert. Note that CA certificates should use the extension .crt'})
  const key = tempDir(t)
  fs.writeFileSync(path.join(key, 'domain.key'), 'KEY')
  t.throws(() => readCertDir(key), {message: 'missing client certificate domain.cert for key domain.key'})
})

test('a missing or empty dir holds nothing', (t) => {
  const dir = tempDir(t)
  t.is(readCertDir(path.join(dir, 'nope')), undefined)
  t.is(readCertDir(dir), undefined)
})

test('--cert-dir wins; otherwise the first certs.d/HOST[:PORT] that exists', (t) => {
  const root = tempDir(t)
  const home = path.join(root, 'home')
  t.is(certDirFor('r.example:5000', {certDir: '/given', rootDir: root, env: {HOME: home}}), '/given')
  t.is(certDirFor('r.example:5000', {rootDir: root, env: {HOME: home}}), undefined)
  const docker = path.join(root, 'etc/docker/certs.d/r.example:5000')
  fs.mkdirSync(docker, {recursive: true})
  t.is(certDirFor('r.example:5000', {rootDir: root, env: {HOME: home}}), docker)
  const containers = path.join(root, 'etc/containers/certs.d/r.example:5000')
  fs.mkdirSync(containers, {recursive: true})
  t.is(certDirFor('r.example:5000', {rootDir: root, env: {HOME: home}}), containers)
  if (process.getuid?.() !== 0) {
    const user = path.join(home, '.config/containers/certs.d/r.example:5000')
    fs.mkdirSync(user, {recursive: true})
    t.is(certDirFor('r.example:5000', {rootDir: root, env: {HOME: home}}), user)
  }
})
