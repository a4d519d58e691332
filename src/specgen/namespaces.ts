// --ipc, --uts and --pid as Podman 4.3.1 takes them (specgen.ParseNamespace, ParseIPCNamespace).
import * as fs from 'node:fs'

import {UsageError} from '../errors'

/**
 * A namespace of the container: its own (private; for ipc also shareable, the rootless default
 * of containers.conf's ipcns, and none, which mounts no /dev/shm), the host's, another
 * container's (`container` is the name or id as given until create resolves it to the id), or
 * one at a path.
 */
export type NamespaceMode =
  | {kind: 'private'}
  | {kind: 'shareable'}
  | {kind: 'none'}
  | {kind: 'host'}
  | {kind: 'container'; container: string}
  | {kind: 'ns'; path: string}

type Flag = 'ipc' | 'uts' | 'pid'

const OWN_MODES: Record<Flag, string[]> = {ipc: ['private', 'shareable', 'none'], uts: ['private'], pid: ['private']}

/** containers.conf's defaults (ipcns "shareable", utsns and pidns "private"). */
export function defaultNamespaceMode(flag: Flag): NamespaceMode {
  return flag === 'ipc' ? {kind: 'shareable'} : {kind: 'private'}
}

export function parseNamespaceMode(flag: Flag, value: string | undefined): NamespaceMode {
  if (value === undefined || value === '') return defaultNamespaceMode(flag)
  if (value === 'host') return {kind: 'host'}
  if (OWN_MODES[flag].includes(value)) return {kind: value as 'private' | 'shareable' | 'none'}
  if (value.startsWith('container:')) {
    const container = value.slice('container:'.length)
    if (container === '') throw new UsageError('invalid config provided: namespace mode container requires a value')
    return {kind: 'container', container}
  }
  if (value.startsWith('ns:')) {
    const nsPath = value.slice(3)
    if (!fs.existsSync(nsPath)) throw new UsageError(`cannot find specified ${flag.toUpperCase()} namespace path: stat ${nsPath}: no such file or directory`)
    return {kind: 'ns', path: nsPath}
  }
  throw new UsageError(`unrecognized namespace mode ${value} passed`)
}

/** inspect's HostConfig.IpcMode, UTSMode, PidMode. */
export function namespaceModeName(mode: NamespaceMode): string {
  if (mode.kind === 'container') return `container:${mode.container}`
  if (mode.kind === 'ns') return `ns:${mode.path}`
  return mode.kind
}
