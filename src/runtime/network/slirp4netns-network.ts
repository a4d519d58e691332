// The network slirp4netns gives a container with --configure and its default CIDR, and the MTU
// Podman asks for.

/** What the container sees: its interface, address, gateway and DNS forwarder. */
export const SLIRP4NETNS_NETWORK = {
  interface: 'tap0',
  cidr: '10.0.2.0/24',
  containerIP: '10.0.2.100',
  prefixLength: 24,
  gateway: '10.0.2.2',
  dns: '10.0.2.3',
} as const

/** The addresses slirp4netns gives with --cidr: the container .100, the gateway .2 and the DNS forwarder .3 of the network. */
export function slirp4netnsAddresses(cidr: string | undefined): {containerIP: string; gateway: string; dns: string} {
  if (cidr === undefined) return SLIRP4NETNS_NETWORK
  const [ip, bits] = cidr.split('/')
  const value = ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0)
  const base = value - (value % 2 ** (32 - Number(bits)))
  const text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')
  return {containerIP: text(base + 100), gateway: text(base + 2), dns: text(base + 3)}
}

/** Podman's MTU for slirp4netns (slirp4netns' own default is 1500). */
export const SLIRP4NETNS_MTU = 65520
