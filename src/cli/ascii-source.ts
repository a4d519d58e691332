// A JavaScript source made pure ASCII, for scripts/bundle.js: esbuild leaves non-ASCII characters
// in regular expression literals as they are, and a single one makes Node read the whole bundle
// through the slow UTF-8 decoder into a two-byte string (about twice the work of every start).

/**
 * `source` with every non-ASCII UTF-16 code unit written as a \uXXXX escape, which means the same
 * character in string, template and regular expression literals and in identifiers. An identity
 * escape of the character (`\µ`) becomes the escape alone: `\` before `\u00b5` would be a backslash.
 */
export function asciiSource(source: string): string {
  let out = ''
  let backslashes = 0
  for (let i = 0; i < source.length; i++) {
    const unit = source.charCodeAt(i)
    if (unit < 0x80) {
      out += source[i]
      backslashes = source[i] === '\\' ? backslashes + 1 : 0
      continue
    }
    if (backslashes % 2 === 1) out = out.slice(0, -1)
    out += `\\u${unit.toString(16).padStart(4, '0')}`
    backslashes = 0
  }
  return out
}
