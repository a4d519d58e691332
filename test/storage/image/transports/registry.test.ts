import * as path from 'node:path'

import test from 'ava'

import {DockerArchiveReference} from '../../../../src/storage/image/transports/docker-archive/transport'
import {OciArchiveReference} from '../../../../src/storage/image/transports/oci-archive/transport'
import {OciLayoutReference} from '../../../../src/storage/image/transports/oci-layout/transport'
import {formatImageName, getTransport, parseImageName, registerTransport, transportNames} from '../../../../src/storage/image/transports/registry'
import {ImageReference, Transport} from '../../../../src/storage/image/transports/types'

test('the archive and layout transports are registered and parse their references', (t) => {
  t.true(['docker-archive', 'oci', 'oci-archive'].every((name) => transportNames().includes(name)))
  const oci = parseImageName('oci:/x:y')
  t.true(oci instanceof OciLayoutReference)
  t.is(oci.transport, getTransport('oci')!)
  t.is(formatImageName(oci), 'oci:/x:y')
  const archive = parseImageName('oci-archive:/a.tar:ref', {tmpDir: '/var/tmp'}) as OciArchiveReference
  t.true(archive instanceof OciArchiveReference)
  t.is(archive.tmpDir, '/var/tmp')
  const docker = parseImageName('docker-archive:rel.tar:busybox') as DockerArchiveReference
  t.true(docker instanceof DockerArchiveReference)
  t.is(formatImageName(docker), `docker-archive:${path.resolve('rel.tar')}:docker.io/library/busybox:latest`)
  for (const ref of [oci, archive, docker]) t.is(formatImageName(parseImageName(formatImageName(ref))), formatImageName(ref))
})

test('names without a transport or with an unknown one are usage errors', (t) => {
  t.throws(() => parseImageName('busybox'), {message: 'invalid transport "busybox"', name: 'UsageError'})
  t.throws(() => parseImageName(':x'), {message: 'invalid transport ":x"'})
  t.throws(() => parseImageName('nope:/x'), {message: 'unknown transport "nope"', name: 'UsageError'})
  t.is(getTransport('nope'), undefined)
})

test('another transport joins through registerTransport', (t) => {
  const parsed: string[] = []
  const fake: Transport = {
    name: 'tspod-test-fake',
    parseReference(text: string): ImageReference {
      parsed.push(text)
      return {
        transport: fake,
        toString: () => text,
        dockerReference: () => undefined,
        newSource: () => Promise.reject(new Error('unused')),
        newDestination: () => Promise.reject(new Error('unused')),
      }
    },
  }
  registerTransport(fake)
  t.is(getTransport('tspod-test-fake'), fake)
  t.is(parseImageName('tspod-test-fake://x/y:z').toString(), '//x/y:z')
  t.deepEqual(parsed, ['//x/y:z'])
})
