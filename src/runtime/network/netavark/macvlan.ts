// A macvlan network as libnetwork's createMacvlan checks it before netavark gets it. netavark
// makes each container's eth0 a macvlan of the parent (network_interface, from `-o parent=`), or
// without one of the interface of the default route where it runs: in the rootless netns that
// is slirp4netns' tap0. The addresses come from Podman's IPAM, so a subnet is needed (netavark
// has no DHCP); the options are the macvlan mode and the mtu.
import * as fs from 'node:fs'
import * as os from 'node:os'

import {TspodError} from '../../../errors'
import type {Network} from './config'
import {parseMtu} from './driver-options'

export const MACVLAN_DRIVER = 'macvlan'

export const MACVLAN_MODES = ['bridge', 'private', 'vepa', 'passthru']

/** The host's interfaces, down or without addresses too (os.networkInterfaces() lists only those with one). */
export function liveInterfaceNames(): string[] {
  try {
    return fs.readdirSync('/sys/class/net')
  } catch {
    return Object.keys(os.networkInterfaces())
  }
}

/** Refused in Podman's words; an unset IPAM driver becomes host-local. */
export function checkMacvlan(network: Network, interfaces: string[] = liveInterfaceNames()): void {
  if (network.network_interface && !interfaces.includes(network.network_interface)) throw new TspodError(`parent interface ${network.network_interface} does not exist`)
  const subnets = network.subnets?.length ?? 0
  const ipam = network.ipam_options?.driver ?? ''
  if (ipam === '' && subnets === 0) throw new TspodError('macvlan driver needs at least one subnet specified, DHCP is not yet supported with netavark')
  if (ipam === 'host-local' && subnets === 0) throw new TspodError('macvlan driver needs at least one subnet specified, when the host-local ipam driver is set')
  if (ipam === '') network.ipam_options = {...network.ipam_options, driver: 'host-local'}
  for (const [key, value] of Object.entries(network.options ?? {})) {
    if (key === 'mode') {
      if (!MACVLAN_MODES.includes(value)) throw new TspodError(`unknown macvlan mode ${JSON.stringify(value)}`)
    } else if (key === 'mtu') parseMtu(value)
    else throw new TspodError(`unsupported macvlan network option ${key}`)
  }
}
