// `--cap-add` and `--cap-drop` as containers/common reads them: names upper-cased with the CAP_
// prefix (or ALL), checked against the kernel's list, and refused together where Podman refuses
// them. Applying them to the default set happens at create (runtime/spec/capabilities.ts).
import {UsageError} from '../errors'
import {ALL, normalizeCapabilities, supportedCapabilities} from '../runtime/spec/capabilities'

export interface CapabilityChanges {
  capAdd: string[]
  capDrop: string[]
}

export function parseCapabilities(add: string[], drop: string[], supported: string[] = supportedCapabilities()): CapabilityChanges {
  const capAdd = normalizeCapabilities(add, supported)
  const capDrop = normalizeCapabilities(drop, supported)
  if (capDrop.includes(ALL)) {
    if (capAdd.includes(ALL)) throw new UsageError('adding all caps and removing all caps not allowed')
  } else if (!capAdd.includes(ALL)) {
    for (const cap of capAdd) if (capDrop.includes(cap)) throw new UsageError(`capability ${JSON.stringify(cap)} cannot be dropped and added`)
  }
  return {capAdd, capDrop}
}
