// A label's command line split into words as Podman splits it (github.com/google/shlex): words
// separated by blanks, '…' taken literally, "…" with a backslash escaping the next character, a
// backslash outside quotes escaping the next character, and a word starting with # a comment to
// the end of its line. Nothing else of a shell: no variables, globs, pipes or redirections.
import {UsageError} from '../../errors'

const BLANKS = ' \t\r\n'

/** The words of `text`, in shlex's errors when a quote or an escape is left open. */
export function splitShellWords(text: string): string[] {
  const words: string[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (BLANKS.includes(c)) {
      i++
      continue
    }
    if (c === '#') {
      // a comment: to the end of the line
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    let word = ''
    while (i < text.length && !BLANKS.includes(text[i])) {
      const ch = text[i++]
      if (ch === '\\') {
        if (i >= text.length) throw new UsageError('EOF found after escape character')
        word += text[i++]
      } else if (ch === "'") {
        const end = text.indexOf("'", i)
        if (end < 0) throw new UsageError('EOF found when expecting closing quote')
        word += text.slice(i, end)
        i = end + 1
      } else if (ch === '"') {
        for (;;) {
          if (i >= text.length) throw new UsageError('EOF found when expecting closing quote')
          const q = text[i++]
          if (q === '"') break
          if (q === '\\') {
            if (i >= text.length) throw new UsageError('EOF found after escape character')
            word += text[i++]
          } else word += q
        }
      } else word += ch
    }
    words.push(word)
  }
  return words
}
