// A network as Podman's templates see it (types.Network's Go field names; ls adds its own).
import type {Network} from '../runtime/network/netavark/config'
import {withJsonTags} from '../go-struct'

export function networkRow(n: Network, truncate: boolean): Record<string, unknown> {
  const labels = Object.entries(n.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  return {...inspectRow(n), ID: truncate ? n.id.slice(0, 12) : n.id, Labels: labels}
}

export function inspectRow(n: Network): Record<string, unknown> {
  return withJsonTags({
    Name: n.name,
    ID: n.id,
    Driver: n.driver,
    NetworkInterface: n.network_interface ?? '',
    Created: n.created,
    Subnets: (n.subnets ?? []).map((s) => withJsonTags({Subnet: s.subnet, Gateway: s.gateway ?? '', LeaseRange: s.lease_range}, s)),
    IPv6Enabled: n.ipv6_enabled,
    Internal: n.internal,
    DNSEnabled: n.dns_enabled,
    Labels: n.labels ?? {},
    Options: n.options ?? {},
    IPAMOptions: n.ipam_options ?? {},
  }, n)
}
