// Transports by name, and "transport:reference" image names parsed with them, as containers/image's
// transports/alltransports. Plain names (short names, registries.conf) are the caller's business.
import {UsageError} from '../../../errors'
import {dockerTransport} from './docker/transport'
import {dockerArchiveTransport} from './docker-archive/transport'
import {dirTransport} from './dir/transport'
import {ociArchiveTransport} from './oci-archive/transport'
import {ociLayoutTransport} from './oci-layout/transport'
import {storeTransport} from './containers-storage/transport'
import {ImageReference, Transport} from './types'

/** Options a transport may take when parsing (the archive transports' temp directory). */
export interface ReferenceOptions {
  /** where archives are unpacked or assembled; os.tmpdir() when not given */
  tmpDir?: string
}

type TransportWithOptions = Transport & {parseReference(text: string, options?: ReferenceOptions): ImageReference}

const transports = new Map<string, Transport>()

/** Adds a transport, or replaces the one of the same name. */
export function registerTransport(transport: Transport): void {
  transports.set(transport.name, transport)
}

export function getTransport(name: string): Transport | undefined {
  return transports.get(name)
}

/** Names of the registered transports, sorted. */
export function transportNames(): string[] {
  return [...transports.keys()].sort()
}

/**
 * "oci:/dir:ref", "docker-archive:/x.tar", …: the transport named before the first ":" parses the
 * rest. Throws UsageError `invalid transport "<text>"` when there is no transport prefix and
 * `unknown transport "<name>"` for an unregistered one.
 */
export function parseImageName(text: string, options: ReferenceOptions = {}): ImageReference {
  const colon = text.indexOf(':')
  if (colon <= 0) throw new UsageError(`invalid transport ${JSON.stringify(text)}`)
  const name = text.slice(0, colon)
  const transport = transports.get(name) as TransportWithOptions | undefined
  if (!transport) throw new UsageError(`unknown transport ${JSON.stringify(name)}`)
  return transport.parseReference(text.slice(colon + 1), options)
}

/**
 * A transport name before the first ":", else a registry reference, as libimage parses push
 * destinations and `manifest add` images ("localhost:5000/x" has no transport "localhost").
 */
export function parseTransportOrRegistry(text: string, options: ReferenceOptions = {}): ImageReference {
  try {
    return parseImageName(text, options)
  } catch (err) {
    try {
      return dockerTransport.parseReference(`//${text}`)
    } catch {
      throw err
    }
  }
}

/** The full name of a reference: "oci:/dir:ref". */
export function formatImageName(reference: ImageReference): string {
  return `${reference.transport.name}:${reference.toString()}`
}

registerTransport(dockerTransport)
registerTransport(ociLayoutTransport)
registerTransport(ociArchiveTransport)
registerTransport(dockerArchiveTransport)
registerTransport(storeTransport)
registerTransport(dirTransport)
