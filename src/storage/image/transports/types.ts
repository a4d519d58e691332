// The contract between image transports (docker://, oci:, oci-archive:, docker-archive:,
// containers-storage:) and the copy pipeline, after containers/image's types.go. Parsing happens only in
// Transport.parseReference; everything else works on parsed, immutable references.
import {Readable} from 'node:stream'

import type {Store} from '../../store/store'
import type {RegistriesConfig} from '../config/registries-conf'

export interface BlobInfo {
  /** "sha256:<hex>" */
  digest: string
  /** bytes, or -1 when unknown */
  size: number
  mediaType?: string
  annotations?: Record<string, string>
}

export interface ManifestBlob {
  bytes: Buffer
  mediaType: string
}

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** The SystemContext analogue: everything a transport may need from the caller. */
export interface ImageContext {
  /** abort everything (a killed pull, a timeout) */
  signal?: AbortSignal
  /** --tls-verify=false */
  tlsVerify?: boolean
  /** --authfile */
  authFile?: string
  /** --cert-dir: the registry's CAs and client certificate (containers-certs.d(5)) */
  certDir?: string
  /** docker references ("host/repo:tag") whose repositories may already hold the blobs being written */
  knownRepositories?: string[]
  /** --creds user:password */
  credentials?: {username: string; password: string}
  platform?: Partial<Platform>
  env?: NodeJS.ProcessEnv
  /** registries.conf, for docker:// (insecure registries, mirrors, blocking) */
  registries?: RegistriesConfig
  /** a dir inside the store for transports that must unpack an archive first */
  tmpDir?: string
  /** a registry that sends nothing for this long is abandoned and asked again (default 10 s) */
  registryIdleTimeoutMs?: number
  /** the store that containers-storage: references without a graph root of their own name */
  store?: Store
  /** warnings a transport has for the user (an owner it could not keep, …) */
  onWarning?: (message: string) => void
}

export interface Transport {
  /** "docker", "oci", "oci-archive", "docker-archive", "containers-storage" */
  readonly name: string
  /** Throws UsageError for text that is not a valid reference of this transport. */
  parseReference(text: string): ImageReference
}

export interface ImageReference {
  readonly transport: Transport
  /** Within the transport; parseReference(ref.toString()) must give an equal reference. */
  toString(): string
  /** The normalized docker name ("docker.io/library/alpine:latest"), when the reference has one. */
  dockerReference(): string | undefined
  newSource(ctx: ImageContext): Promise<ImageSource>
  newDestination(ctx: ImageContext): Promise<ImageDestination>
}

/** A source that went silent while a blob was read; the read goes on with a new request. */
export interface BlobStall {
  /** who went silent: "registry.example.com:5000" */
  server: string
  /** how long nothing arrived before the request was abandoned */
  silentMs: number
  /** the new request asks for the blob from this byte on (0: from the start) */
  resumeAt: number
}

export interface GetBlobOptions {
  /** called before each retry after a stall */
  onStall?: (stall: BlobStall) => void
}

/**
 * Raw data from an image. The caller verifies every digest: a source never promises that the
 * bytes it returns match what was asked for.
 */
export interface ImageSource {
  readonly reference: ImageReference
  /** The top-level manifest, or the one with the given digest (an instance of a list). */
  getManifest(instanceDigest?: string): Promise<ManifestBlob>
  getBlob(info: BlobInfo, options?: GetBlobOptions): Promise<{stream: Readable; size: number}>
  close(): Promise<void>
}

/**
 * Where an image is written. Required order: blobs (putBlob) → putManifest → commit.
 * Nothing is visible before commit; close() without commit discards everything.
 */
export interface ImageDestination {
  readonly reference: ImageReference
  /** Manifest media types this destination accepts, best first. */
  readonly supportedManifestTypes: string[]
  /** A blob the destination already has, or undefined (layerIndex: the blob's place in the image). */
  tryReusingBlob(info: BlobInfo, options?: {layerIndex?: number}): Promise<BlobInfo | undefined>
  /** Stores a stream whose digest the caller has verified (or verifies as it flows). */
  putBlob(stream: Readable, info: BlobInfo, options: {isConfig: boolean; layerIndex?: number}): Promise<BlobInfo>
  /** listDigest: the manifest list / index this manifest was chosen from, if any. */
  putManifest(manifest: ManifestBlob, options?: {listDigest?: string}): Promise<void>
  commit(): Promise<void>
  close(): Promise<void>
}
