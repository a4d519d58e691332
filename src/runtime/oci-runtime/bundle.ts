// config.json for an external runtime, Podman's rootless way: the runtime runs inside tspod's
// user namespace (where the overlay is already mounted), so the spec has no user namespace and
// no id maps — the runtime is already "root" of the mapped namespace. Everything else (mounts
// with their bind sources, process, hostname, capabilities, rlimits, masked and read-only paths,
// annotations such as keep-groups) is passed on unchanged.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {OciSpec} from '../oci-spec'

export const CONFIG_FILE = 'config.json'

/** RLIM_INFINITY as uint64; a JS number cannot hold it, so it is written out as text. */
const RLIM_INFINITY_TEXT = '18446744073709551615'
const RLIM_INFINITY_MARK = '\u0000rlim-infinity\u0000'

export function externalRuntimeSpec(spec: OciSpec, rootfs: string, tty: boolean, options: {ownNetwork?: boolean} = {}): OciSpec {
  const copy = structuredClone(spec) as OciSpec
  copy.root = {...copy.root, path: path.resolve(rootfs)}
  copy.process = {...copy.process, terminal: tty}
  if (copy.linux) {
    // the helper's own user namespace (and network namespace, set up by tspod) are the container's
    const inherited = new Set(['user', ...(options.ownNetwork ? ['network'] : [])])
    copy.linux.namespaces = (copy.linux.namespaces ?? []).filter((ns) => !inherited.has(ns.type))
    delete copy.linux.uidMappings
    delete copy.linux.gidMappings
  }
  return copy
}

/** The spec as JSON, with rlimits at or past 2^64 - 1 (or Infinity) written as RLIM_INFINITY. */
export function specJson(spec: OciSpec): string {
  const text = JSON.stringify(
    spec,
    function (key, value) {
      if ((key === 'soft' || key === 'hard') && typeof value === 'number' && value >= 2 ** 64 - 1) return RLIM_INFINITY_MARK
      return value
    },
    2,
  )
  return text.split(JSON.stringify(RLIM_INFINITY_MARK)).join(RLIM_INFINITY_TEXT)
}

/** Write `<bundleDir>/config.json` (owner-only: it holds the container's environment). */
export function writeBundleConfig(bundleDir: string, spec: OciSpec): string {
  const file = path.join(bundleDir, CONFIG_FILE)
  fs.writeFileSync(file, specJson(spec), {mode: 0o600})
  fs.chmodSync(file, 0o600)
  return file
}
