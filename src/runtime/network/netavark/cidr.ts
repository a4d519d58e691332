// IPv4 and IPv6 subnets as Go's net.ParseCIDR reads them (the address masked to its network),
// with the arithmetic network create needs: containment, overlap, first and last address.
import {parseIp} from '../ip-address'

export interface Cidr {
  family: 4 | 6
  /** the network address */
  base: bigint
  prefix: number
}

const bits = (family: 4 | 6): number => (family === 4 ? 32 : 128)

export function ipToBigInt(text: string): {family: 4 | 6; value: bigint} | undefined {
  const ip = parseIp(text)
  if (!ip) return undefined
  if (ip.family === 4) return {family: 4, value: ip.text.split('.').reduce((n, o) => (n << 8n) | BigInt(o), 0n)}
  const [head, tail = ''] = ip.text.split('::')
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'))
  const h = groups(head)
  const t = groups(tail)
  const all = ip.text.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
  return {family: 6, value: all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n)}
}

export function bigIntToIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => Number((value >> s) & 255n)).join('.')
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn))
  return parseIp(groups.map((g) => g.toString(16)).join(':'))!.text
}

function mask(family: 4 | 6, prefix: number): bigint {
  const total = bits(family)
  return ((1n << BigInt(total)) - 1n) ^ ((1n << BigInt(total - prefix)) - 1n)
}

/** net.ParseCIDR: undefined for anything it refuses. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/')
  if (slash < 0) return undefined
  const ip = ipToBigInt(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (!ip || !/^[0-9]{1,3}$/.test(prefixText)) return undefined
  const prefix = Number(prefixText)
  if (prefix > bits(ip.family)) return undefined
  return {family: ip.family, base: ip.value & mask(ip.family, prefix), prefix}
}

export function formatCidr(c: Cidr): string {
  return `${bigIntToIp(c.family, c.base)}/${c.prefix}`
}

export function lastAddress(c: Cidr): bigint {
  return c.base | ((1n << BigInt(bits(c.family) - c.prefix)) - 1n)
}

export function contains(c: Cidr, family: 4 | 6, ip: bigint): boolean {
  return c.family === family && ip >= c.base && ip <= lastAddress(c)
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.base <= lastAddress(b) && b.base <= lastAddress(a)
}

/** The subnet of `size` bits after `c` (the next one of the same size). */
export function nextSubnet(c: Cidr): Cidr {
  return {family: c.family, base: lastAddress(c) + 1n, prefix: c.prefix}
}
