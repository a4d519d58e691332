// --add-host, --no-hosts and the DNS flags, checked as Podman checks them against each other and
// the network mode; create writes the container's /etc/hosts and /etc/resolv.conf from them.
import * as net from 'node:net'

import {UsageError} from '../errors'
import type {ExtraHost, NetworkMode} from './container-spec'

export interface HostsOptions {
  addHost?: string[]
  noHosts?: boolean
  dns?: string[]
  dnsSearch?: string[]
  dnsOption?: string[]
}

/** --add-host NAME:IP entries (split at the first colon, so the IP may be IPv6), in Podman's words when bad. */
export function parseExtraHosts(values: string[]): ExtraHost[] {
  return values.map((value) => {
    const colon = value.indexOf(':')
    if (colon <= 0) throw new UsageError(`bad format for add-host: ${JSON.stringify(value)}`)
    const ip = value.slice(colon + 1)
    if (net.isIP(ip) === 0) throw new UsageError(`invalid IP address in add-host: ${JSON.stringify(ip)}`)
    return {name: value.slice(0, colon), ip}
  })
}

export function checkHostsOptions(network: NetworkMode, options: HostsOptions): void {
  if (options.noHosts && options.addHost?.length) throw new UsageError('--no-hosts and --add-host cannot be set together')
  for (const server of options.dns ?? []) if (net.isIP(server) === 0) throw new UsageError(`${server} is not an ip address`)
  if (network.kind === 'none' && (options.dns?.length || options.dnsSearch?.length || options.dnsOption?.length))
    throw new UsageError('conflicting options: dns and the network mode: none')
}
