// inspect's NetworkSettings for a container on named networks, as libpod's
// getContainerNetworkInfo fills it: one entry per network (addresses only while it runs), and
// the top-level fields when its one network is the default `podman` (Docker compatibility).
import type {Container} from '../../container/config'
import {DEFAULT_NETWORK} from './config'
import type {NetworkStatus} from './netavark'

interface BasicConfig {
  EndpointID: string
  Gateway: string
  IPAddress: string
  IPPrefixLen: number
  IPv6Gateway: string
  GlobalIPv6Address: string
  GlobalIPv6PrefixLen: number
  MacAddress: string
}

function basicConfig(status: NetworkStatus | undefined): BasicConfig {
  const config: BasicConfig = {EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: ''}
  for (const iface of Object.values(status?.interfaces ?? {})) {
    config.MacAddress = iface.mac_address ?? ''
    for (const subnet of iface.subnets ?? []) {
      const [ip, prefix] = subnet.ipnet.split('/')
      if (ip.includes(':')) {
        config.GlobalIPv6Address ||= ip
        config.GlobalIPv6PrefixLen ||= Number(prefix)
        config.IPv6Gateway ||= subnet.gateway ?? ''
      } else {
        config.IPAddress ||= ip
        config.IPPrefixLen ||= Number(prefix)
        config.Gateway ||= subnet.gateway ?? ''
      }
    }
  }
  return config
}

export function bridgeNetworkSettings(c: Container, running: boolean): Record<string, unknown> {
  const mode = c.config.containerSpec.network
  if (mode.kind !== 'bridge') return {}
  const statuses = running ? c.state.networks ?? {} : {}
  const networks: Record<string, unknown> = {}
  for (const [name, opts] of Object.entries(mode.networks))
    networks[name] = {
      ...basicConfig(statuses[name]),
      NetworkID: name,
      DriverOpts: null,
      IPAMConfig: null,
      Links: null,
      Aliases: [c.config.id.slice(0, 12), ...opts.aliases],
    }
  const names = Object.keys(mode.networks)
  const top = names.length === 1 && names[0] === DEFAULT_NETWORK ? basicConfig(statuses[DEFAULT_NETWORK]) : basicConfig(undefined)
  return {...top, Bridge: '', SandboxID: '', HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0, Networks: networks}
}
