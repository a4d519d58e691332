// IP addresses as Go's net.ParseIP reads them and net.IP.String() prints them, so that a host IP
// in `-p` is accepted, refused and shown exactly as Podman does: dotted IPv4 without leading
// zeros; IPv6 with one `::` and an optional dotted tail, no zone; an IPv4-mapped IPv6 address
// prints as IPv4; other IPv6 addresses print in RFC 5952 form.

export type IpFamily = 4 | 6

export interface ParsedIp {
  family: IpFamily
  /** the canonical text (Go's IP.String()) */
  text: string
}

function parseIPv4Octets(text: string): number[] | undefined {
  const fields = text.split('.')
  if (fields.length !== 4) return undefined
  const octets: number[] = []
  for (const field of fields) {
    if (!/^[0-9]{1,3}$/.test(field)) return undefined
    if (field.length > 1 && field.startsWith('0')) return undefined // Go refuses leading zeros (octal ambiguity)
    const n = Number(field)
    if (n > 255) return undefined
    octets.push(n)
  }
  return octets
}

function parseHexGroups(text: string): number[] | undefined {
  if (text === '') return []
  const groups: number[] = []
  for (const group of text.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined
    groups.push(parseInt(group, 16))
  }
  return groups
}

/** The 8 16-bit groups of an IPv6 address, or undefined when Go's parser would refuse it. */
function parseIPv6Groups(text: string): number[] | undefined {
  if (text.includes('%')) return undefined // zones are not IP addresses for ParseIP
  let body = text
  let tail: number[] = []
  const lastColon = body.lastIndexOf(':')
  if (body.slice(lastColon + 1).includes('.')) {
    const octets = parseIPv4Octets(body.slice(lastColon + 1))
    if (!octets) return undefined
    tail = [(octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]]
    // "1:2:3:4:5:6:" loses its separator; a "::" before the dotted tail stays
    body = body.slice(0, lastColon + 1)
    if (!body.endsWith('::')) body = body.slice(0, -1)
  }
  const halves = body.split('::')
  if (halves.length > 2) return undefined
  const head = parseHexGroups(halves[0])
  const rest = halves.length === 2 ? parseHexGroups(halves[1]) : []
  if (!head || !rest) return undefined
  const given = head.length + rest.length + tail.length
  if (halves.length === 1) return given === 8 ? [...head, ...tail] : undefined
  if (given > 7) return undefined // "::" stands for at least one zero group
  return [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail]
}

function formatIPv6(groups: number[]): string {
  // the longest run of two or more zero groups (the first one on a tie) becomes "::"
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}

/** Go's net.ParseIP(text) followed by String(); undefined where ParseIP returns nil. */
export function parseIp(text: string): ParsedIp | undefined {
  const v4 = parseIPv4Octets(text)
  if (v4) return {family: 4, text: v4.join('.')}
  if (!text.includes(':')) return undefined
  const groups = parseIPv6Groups(text)
  if (!groups) return undefined
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff
  if (mapped) return {family: 4, text: [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.')}
  return {family: 6, text: formatIPv6(groups)}
}
