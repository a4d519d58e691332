// Shared set-up for the registry client tests: clients with tiny retry delays, stream collection.
import * as net from 'node:net'
import {Readable} from 'node:stream'

import {RegistryClient, RegistryClientOptions} from '../../../../../src/storage/image/transports/docker/client'
import {FaultRegistry} from '../../../../helpers/fault-registry'

export const REPO = 'library/alpine'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

export const FAST_RETRY = {attempts: 3, baseDelayMs: 1, maxDelayMs: 5}

export function clientFor(registry: FaultRegistry | string, overrides: Partial<RegistryClientOptions> = {}): RegistryClient {
  return new RegistryClient({
    registry: typeof registry === 'string' ? registry : registry.host,
    repository: REPO,
    insecure: true,
    retry: FAST_RETRY,
    timeouts: {connectMs: 5000, idleMs: 5000},
    ...overrides,
  })
}

export interface Collected {
  bytes: Buffer
  error?: Error
  ended: boolean
}

/** Reads a stream to its end or its error, noting whether 'end' was ever emitted. */
export function collect(stream: Readable): Promise<Collected> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let ended = false
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => {
      ended = true
    })
    stream.on('error', () => {
      // reported through stream.errored on 'close'
    })
    stream.on('close', () => {
      const error = (stream as Readable & {errored: Error | null}).errored ?? undefined
      resolve({bytes: Buffer.concat(chunks), error, ended})
    })
  })
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A registry with one image: an OCI manifest tagged "latest" and its blobs. */
export async function registryWithImage(layer: Buffer = Buffer.from('layer bytes')): Promise<{
  registry: FaultRegistry
  manifest: Buffer
  manifestDigest: string
  configDigest: string
  layerDigest: string
  layer: Buffer
}> {
  const registry = await FaultRegistry.start()
  const config = Buffer.from('{"architecture":"amd64","os":"linux"}')
  const configDigest = registry.addBlob(REPO, config)
  const layerDigest = registry.addBlob(REPO, layer)
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length},
      layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length}],
    }),
  )
  const manifestDigest = registry.addManifest(REPO, 'latest', manifest, OCI_MANIFEST)
  return {registry, manifest, manifestDigest, configDigest, layerDigest, layer}
}
