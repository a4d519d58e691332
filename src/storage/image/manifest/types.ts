// Manifests and manifest lists in one shape whatever their format (OCI or Docker schema2), as
// parseManifest returns them and serializeManifest writes them.
import type {BlobInfo, Platform} from '../transports/types'

/** A layer or config descriptor; `urls` only for foreign (non-distributable) layers. */
export interface ManifestBlobInfo extends BlobInfo {
  mediaType: string
  urls?: string[]
}

export interface ImageManifest {
  /** MEDIA_TYPE_OCI_MANIFEST or MEDIA_TYPE_DOCKER_MANIFEST */
  mediaType: string
  config: ManifestBlobInfo
  /** bottom layer first */
  layers: ManifestBlobInfo[]
  /** OCI only */
  annotations?: Record<string, string>
  /** OCI only: what the manifest refers to (a signature's image) */
  subject?: ManifestBlobInfo
  /** OCI only: the type of an artifact that is not an image */
  artifactType?: string
}

export interface InstancePlatform extends Platform {
  osVersion?: string
  osFeatures?: string[]
  /** Docker manifest lists only */
  features?: string[]
}

export interface ManifestListInstance {
  digest: string
  size: number
  mediaType: string
  platform?: InstancePlatform
  annotations?: Record<string, string>
}

export interface ManifestList {
  /** MEDIA_TYPE_OCI_INDEX or MEDIA_TYPE_DOCKER_MANIFEST_LIST */
  mediaType: string
  instances: ManifestListInstance[]
  /** OCI only */
  annotations?: Record<string, string>
}

export type AnyManifest = ImageManifest | ManifestList

export function isManifestList(manifest: AnyManifest): manifest is ManifestList {
  return 'instances' in manifest
}
