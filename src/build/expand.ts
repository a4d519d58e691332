// Variable expansion in Containerfile instructions (BuildKit's shell lexer, the parts builds use):
// $VAR and ${VAR}, ${VAR:-default}, ${VAR:+alternative}, ${VAR-default}, ${VAR+alternative};
// single quotes and a backslash before `$` keep it literal. Quotes themselves are kept: the
// instruction's own parsing (words, JSON) removes them.
import {UsageError} from '../errors'

/** Longer expansions are refused: values that double at each ARG would otherwise exhaust memory. */
export const MAX_EXPANSION = 4 * 1024 * 1024

export function expandVariables(text: string, vars: Map<string, string>): string {
  const out = expandText(text, vars)
  if (out.length > MAX_EXPANSION) throw new UsageError(`variable expansion of ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} is longer than ${MAX_EXPANSION} bytes`)
  return out
}

function expandText(text: string, vars: Map<string, string>): string {
  let out = ''
  let single = false
  for (let i = 0; i < text.length; i++) {
    if (out.length > MAX_EXPANSION) return out
    const c = text[i]
    if (c === "'" ) single = !single
    if (c === '\\' && text[i + 1] === '$') {
      out += '\\$'
      i++
      continue
    }
    if (c !== '$' || single) {
      out += c
      continue
    }
    if (text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2)
      if (end < 0) {
        out += c
        continue
      }
      const body = text.slice(i + 2, end)
      i = end
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/.exec(body)
      if (!m) {
        out += `\${${body}}`
        continue
      }
      const value = vars.get(m[1])
      const op = m[2]
      if (!op) out += value ?? ''
      else if (op === ':-') out += value ? value : expandVariables(m[3], vars)
      else if (op === '-') out += value !== undefined ? value : expandVariables(m[3], vars)
      else if (op === ':+') out += value ? expandVariables(m[3], vars) : ''
      else out += value !== undefined ? expandVariables(m[3], vars) : ''
      continue
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))
    if (!m) {
      out += c
      continue
    }
    out += vars.get(m[0]) ?? ''
    i += m[0].length
  }
  return out
}
