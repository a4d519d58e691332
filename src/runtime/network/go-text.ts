// Text in the shapes Go's fmt and strconv give it, for messages that must read like Podman's.

const NAMED_ESCAPES: Record<number, string> = {7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r'}

/** Go's %q of a string (strconv.Quote): double quotes, backslash escapes, printable runes kept. */
export function goQuote(text: string): string {
  let out = '"'
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (NAMED_ESCAPES[cp]) out += NAMED_ESCAPES[cp]
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`
    else out += `\\U${cp.toString(16).padStart(8, '0')}`
  }
  return out + '"'
}

const INT64_MAX = (1n << 63n) - 1n
const INT64_MIN = -(1n << 63n)

/**
 * Go's strconv.Atoi on a 64-bit machine: an optional sign and decimal digits. Throws Go's
 * error text (`strconv.Atoi: parsing "x": invalid syntax` / `value out of range`).
 */
export function goAtoi(text: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new Error(`strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`)
  const value = BigInt(text)
  if (value > INT64_MAX || value < INT64_MIN) throw new Error(`strconv.Atoi: parsing ${goQuote(text)}: value out of range`)
  return value
}
