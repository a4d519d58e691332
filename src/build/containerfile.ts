// The Containerfile language, as BuildKit's parser reads it: a parser directive (`escape`) at the
// top, comments, line continuations (the escape character at a line's end), and per instruction
// its flags (`--from=x`) and its arguments in JSON (exec) form or as plain text (shell form).
import {UsageError} from '../errors'

export interface Instruction {
  /** upper case: FROM, RUN, COPY … */
  command: string
  /** `--name=value` flags before the arguments */
  flags: Record<string, string>
  /** the text after the flags, continuations joined */
  rest: string
  /** the JSON form's strings, when the arguments are a JSON array */
  json?: string[]
  /** the instruction as written on one line ("RUN echo hi"), for messages and history */
  original: string
  line: number
}

export const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
])

function parseJsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed
  } catch {
    // shell form
  }
  return undefined
}

/** Leading `--name=value` (or `--name`) flags and the text after them. */
function splitFlags(text: string): {flags: Record<string, string>; rest: string} {
  const flags: Record<string, string> = {}
  let rest = text
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest)
    if (!m) break
    flags[m[1]] = m[2] ?? 'true'
    rest = rest.slice(m[0].length)
  }
  return {flags, rest: rest.trim()}
}

/** The instructions of a Containerfile; `file` names it in errors. */
export function parseContainerfile(text: string, file = 'Containerfile'): Instruction[] {
  const lines = text.split(/\r?\n/)
  let escape = '\\'
  let start = 0
  // parser directives: only at the very top, before any comment or instruction
  for (; start < lines.length; start++) {
    const m = /^\s*#\s*([a-zA-Z]+)\s*=\s*(.*?)\s*$/.exec(lines[start])
    if (!m) break
    if (m[1].toLowerCase() === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw new UsageError(`${file}:${start + 1}: invalid escape token "${m[2]}": must be \` or \\`)
      escape = m[2]
    }
  }
  const out: Instruction[] = []
  let current: string | undefined
  let currentLine = 0
  const finish = () => {
    if (current === undefined) return
    const text = current.trim()
    current = undefined
    if (!text) return
    const m = /^(\S+)\s*([\s\S]*)$/.exec(text)!
    const command = m[1].toUpperCase()
    if (!INSTRUCTIONS.has(command)) throw new UsageError(`${file}:${currentLine}: unknown instruction: ${m[1]}`)
    const {flags, rest} = command === 'RUN' || command === 'COPY' || command === 'ADD' || command === 'FROM' || command === 'HEALTHCHECK' ? splitFlags(m[2]) : {flags: {}, rest: m[2].trim()}
    out.push({command, flags, rest, json: parseJsonArray(rest), original: `${command} ${m[2]}`.trim(), line: currentLine})
  }
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]
    const trimmed = line.trim()
    // comments and blank lines, also in the middle of a continued instruction
    if (trimmed.startsWith('#') || (current !== undefined && trimmed === '')) continue
    if (current === undefined) {
      if (trimmed === '') continue
      currentLine = i + 1
      current = ''
    }
    const body = line.replace(/\s+$/, '')
    if (body.endsWith(escape)) {
      current += body.slice(0, -1)
      continue
    }
    current += body
    finish()
  }
  finish()
  return out
}
