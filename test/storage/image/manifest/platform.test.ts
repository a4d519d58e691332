import test from 'ava'

import {MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST} from '../../../../src/storage/image/manifest/media-types'
import {armVariantFromCpuInfo, chooseInstance, goArchitecture, hostPlatform, wantedPlatforms} from '../../../../src/storage/image/manifest/platform'
import {InstancePlatform, ManifestList} from '../../../../src/storage/image/manifest/types'
import type {Platform} from '../../../../src/storage/image/transports/types'
import {sha256} from '../../../helpers/oci-image'

function list(platforms: Array<InstancePlatform | undefined>, mediaType = MEDIA_TYPE_OCI_INDEX, annotations: Array<Record<string, string> | undefined> = []): ManifestList {
  return {
    mediaType,
    instances: platforms.map((platform, i) => ({
      digest: sha256(`instance ${i}`),
      size: 100 + i,
      mediaType: mediaType === MEDIA_TYPE_OCI_INDEX ? MEDIA_TYPE_OCI_MANIFEST : MEDIA_TYPE_DOCKER_MANIFEST,
      ...(platform ? {platform} : {}),
      ...(annotations[i] ? {annotations: annotations[i]} : {}),
    })),
  }
}

const host = (p: Platform) => () => p
const position = (l: ManifestList, digest: string) => l.instances.findIndex((i) => i.digest === digest)

test('Node architectures map to Go names; the host is linux on the mapped architecture', (t) => {
  t.is(goArchitecture('x64'), 'amd64')
  t.is(goArchitecture('arm64'), 'arm64')
  t.is(goArchitecture('arm'), 'arm')
  t.is(goArchitecture('ia32'), '386')
  t.is(goArchitecture('ppc64'), 'ppc64le')
  t.is(goArchitecture('s390x'), 's390x')
  t.is(goArchitecture('riscv64'), 'riscv64')
  const me = hostPlatform()
  t.is(me.os, 'linux')
  t.is(me.architecture, goArchitecture(process.arch))
  if (process.arch === 'x64') t.is(me.variant, undefined)
})

test('ARM variants from /proc/cpuinfo as containers/image reads them', (t) => {
  t.is(armVariantFromCpuInfo('processor\t: 0\nCPU architecture: 8\n'), 'v8')
  t.is(armVariantFromCpuInfo('CPU architecture: AArch64\n'), 'v8')
  t.is(armVariantFromCpuInfo('model name\t: ARMv7 Processor rev 4 (v7l)\nCPU architecture: 7\n'), 'v7')
  t.is(armVariantFromCpuInfo('model name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU architecture: 7\n'), 'v6')
  t.is(armVariantFromCpuInfo('CPU architecture: 6TEJ\n'), 'v6')
  t.is(armVariantFromCpuInfo('CPU architecture: 5TE\n'), 'v5')
  t.is(armVariantFromCpuInfo('vendor_id: GenuineIntel\n'), '')
})

test('wanted platforms: variant fallbacks from the most capable, then none; no variant tries all', (t) => {
  const arm64 = host({os: 'linux', architecture: 'arm64', variant: 'v8'})
  t.deepEqual(wantedPlatforms({}, arm64), [
    {os: 'linux', architecture: 'arm64', variant: 'v8'},
    {os: 'linux', architecture: 'arm64'},
  ])
  const armv7 = host({os: 'linux', architecture: 'arm', variant: 'v7'})
  t.deepEqual(wantedPlatforms({}, armv7).map((p) => p.variant ?? ''), ['v7', 'v6', 'v5', ''])
  t.deepEqual(wantedPlatforms({variant: 'v8'}, armv7).map((p) => p.variant ?? ''), ['v8', 'v7', 'v6', 'v5', ''])
  // a chosen architecture is not given the host's detected variant
  t.deepEqual(wantedPlatforms({architecture: 'arm'}, arm64).map((p) => p.variant ?? ''), ['', 'v8', 'v7', 'v6', 'v5'])
  t.deepEqual(wantedPlatforms({architecture: 'amd64'}, arm64), [{os: 'linux', architecture: 'amd64'}])
  t.deepEqual(wantedPlatforms({architecture: 'mips', variant: 'v9', os: 'freebsd'}, arm64), [
    {os: 'freebsd', architecture: 'mips', variant: 'v9'},
    {os: 'freebsd', architecture: 'mips'},
  ])
})

test('choosing from an index: exact platform first, the variant fallbacks in order, list order breaking ties', (t) => {
  const index = list([
    {os: 'linux', architecture: 'amd64'},
    {os: 'linux', architecture: 'arm', variant: 'v6'},
    {os: 'linux', architecture: 'arm', variant: 'v7'},
    {os: 'linux', architecture: 'arm64', variant: 'v8'},
    {os: 'linux', architecture: 'arm64'},
    {os: 'windows', architecture: 'amd64'},
    {os: 'linux', architecture: 'amd64'},
  ])
  t.is(position(index, chooseInstance(index, {}, {host: host({os: 'linux', architecture: 'amd64'})}).digest), 0)
  t.is(position(index, chooseInstance(index, {}, {host: host({os: 'linux', architecture: 'arm', variant: 'v7'})}).digest), 2)
  t.is(position(index, chooseInstance(index, {variant: 'v8'}, {host: host({os: 'linux', architecture: 'arm', variant: 'v7'})}).digest), 2, 'v8 falls back to v7')
  t.is(position(index, chooseInstance(index, {architecture: 'arm', variant: 'v6'}).digest), 1)
  t.is(position(index, chooseInstance(index, {architecture: 'arm64', variant: 'v8'}).digest), 3)
  t.is(position(index, chooseInstance(index, {architecture: 'arm64'}).digest), 4, 'no variant asked: the entry without one first')
  t.is(position(index, chooseInstance(index, {os: 'windows', architecture: 'amd64'}).digest), 5)
})

test('entries without a platform qualify last in an image index and never in a Docker list', (t) => {
  const index = list([undefined, {os: 'linux', architecture: 'arm64', variant: 'v8'}])
  t.is(position(index, chooseInstance(index, {architecture: 'arm64'}).digest), 1)
  t.is(position(index, chooseInstance(index, {architecture: 's390x'}).digest), 0)
  const docker = list([undefined, {os: 'linux', architecture: 'arm64', variant: 'v8'}], MEDIA_TYPE_DOCKER_MANIFEST_LIST)
  t.throws(() => chooseInstance(docker, {architecture: 's390x'}), {message: 'no image found in manifest list for architecture "s390x", variant "", OS "linux"'})
})

test('no match: containers/image errors name the most wanted platform', (t) => {
  const index = list([{os: 'linux', architecture: 'amd64'}])
  t.throws(() => chooseInstance(index, {}, {host: host({os: 'linux', architecture: 'arm', variant: 'v7'})}), {
    message: 'no image found in image index for architecture "arm", variant "v7", OS "linux"',
    name: 'TspodError',
  })
  const docker = list([{os: 'linux', architecture: 'arm', variant: 'v7'}], MEDIA_TYPE_DOCKER_MANIFEST_LIST)
  t.throws(() => chooseInstance(docker, {architecture: 'arm', variant: 'v6'}), {
    message: 'no image found in manifest list for architecture "arm", variant "v6", OS "linux"',
  })
  t.is(chooseInstance(docker, {architecture: 'arm', variant: 'v8'}).platform?.variant, 'v7', 'v8 runs v7 images')
  t.throws(() => chooseInstance(list([]), {architecture: 'amd64'}), {message: 'no image found in image index for architecture "amd64", variant "", OS "linux"'})
})

test('zstd instances are second choice unless preferred', (t) => {
  const amd = {os: 'linux', architecture: 'amd64'}
  const index = list([amd, amd], MEDIA_TYPE_OCI_INDEX, [{'io.github.containers.compression.zstd': 'true'}, undefined])
  t.is(position(index, chooseInstance(index, {architecture: 'amd64'}).digest), 1)
  t.is(position(index, chooseInstance(index, {architecture: 'amd64'}, {preferZstd: true}).digest), 0)
})
