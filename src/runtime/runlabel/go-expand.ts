// $NAME and ${NAME} replaced as Go's os.Expand does it, which Podman applies to a label's command:
// a name is letters, digits and underscores, or one of the shell's special characters
// (* # $ @ ! ? - 0…9); "${}" and an unclosed "${" are dropped; a "$" followed by nothing a name
// starts with stays. Only text is produced: nothing is run.

const SPECIAL = '*#$@!?-0123456789'

function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9_]$/.test(c)
}

/** The name after a "$" at s[0…]: the name ('' when there is none) and how many characters it spans. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && SPECIAL.includes(s[1]) && s[2] === '}') return [s[1], 3]
    const close = s.indexOf('}', 1)
    if (close === 1) return ['', 2]
    if (close < 0) return ['', 1]
    return [s.slice(1, close), close + 1]
  }
  if (SPECIAL.includes(s[0])) return [s[0], 1]
  let i = 0
  while (isNameChar(s[i])) i++
  return [s.slice(0, i), i]
}

export function expandVariables(text: string, value: (name: string) => string): string {
  let out = ''
  let from = 0
  for (let j = 0; j < text.length; j++) {
    if (text[j] !== '$' || j + 1 >= text.length) continue
    out += text.slice(from, j)
    const [name, width] = shellName(text.slice(j + 1))
    if (name === '' && width === 0) out += '$'
    else if (name !== '') out += value(name)
    j += width
    from = j + 1
  }
  return out + text.slice(from)
}
