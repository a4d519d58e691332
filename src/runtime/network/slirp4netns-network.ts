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

/** Podman's MTU for slirp4netns (slirp4netns' own default is 1500). */
export const SLIRP4NETNS_MTU = 65520
