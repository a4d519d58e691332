// `--network` as tspod takes it. Podman 4's rootless default is slirp4netns (tspod's for root
// too: it has no bridge); pasta and named networks are not there.
import * as path from 'node:path'

import {UsageError} from '../errors'
import type {NetworkMode} from './container-spec'

export function parseNetwork(network: string | undefined): NetworkMode {
  if (network === undefined || network === '' || network === 'slirp4netns' || network === 'private') return {kind: 'slirp4netns'}
  if (network === 'none' || network === 'host') return {kind: network}
  if (network.startsWith('ns:')) {
    const nsPath = network.slice(3)
    if (!path.isAbsolute(nsPath)) throw new UsageError(`invalid network namespace path ${JSON.stringify(nsPath)}: must be absolute`)
    return {kind: 'ns', path: nsPath}
  }
  if (network.startsWith('container:')) {
    const container = network.slice('container:'.length)
    if (container === '') throw new UsageError('invalid config provided: namespace mode container requires a value')
    return {kind: 'container', container}
  }
  if (network === 'pasta') throw new UsageError('--network pasta is not supported by tspod: use slirp4netns (the default), host or none')
  throw new UsageError(`unable to find network with name or ID ${network}: network not found`)
}

/** The mode as inspect's NetworkMode and the container record name it: slirp4netns, host, none, ns:PATH or container:ID. */
export function networkModeName(mode: NetworkMode): string {
  if (mode.kind === 'container') return `container:${mode.container}`
  return mode.kind === 'ns' ? `ns:${mode.path}` : mode.kind
}
