// The Containerfile language, as BuildKit's parser reads it: parser directives at the top (`escape`;
// `syntax` and the others are read and ignored, as buildah does), comments, line continuations
// (the escape character at a line's end), heredocs (`<<EOF` … `EOF`) on RUN, COPY and ADD, and
// per instruction its flags (`--from=x`) and its arguments in JSON (exec) form or as plain text.
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
  /** every flag in order, repeated ones (`--mount`) included */
  flagList: [string, string][]
  /** the heredocs the instruction's line opens, in order */
  heredocs: Heredoc[]
}

export interface Heredoc {
  name: string
  /** the body, with its final newline (leading tabs removed for `<<-`) */
  content: string
  /** false when the delimiter was quoted: no variable expansion in the body */
  expand: boolean
  /** the body and the delimiter line as written, for a shell to read */
  raw: string
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g
const HEREDOC_COMMANDS = new Set(['RUN', 'COPY', 'ADD'])

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
function splitFlags(text: string): {flags: Record<string, string>; flagList: [string, string][]; rest: string} {
  const flags: Record<string, string> = {}
  const flagList: [string, string][] = []
  let rest = text
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest)
    if (!m) break
    flags[m[1]] = m[2] ?? 'true'
    flagList.push([m[1], m[2] ?? 'true'])
    rest = rest.slice(m[0].length)
  }
  return {flags, flagList, rest: rest.trim()}
}

/** The heredocs opened on `text`, their bodies read from `lines` at `next`; returns them and the next line. */
function readHeredocs(text: string, lines: string[], next: number, file: string, line: number): {heredocs: Heredoc[]; next: number} {
  const heredocs: Heredoc[] = []
  for (const m of text.matchAll(HEREDOC)) {
    const strip = m[1] === '-'
    const name = m[3]
    const body: string[] = []
    const raw: string[] = []
    for (;;) {
      if (next >= lines.length) throw new UsageError(`${file}:${line}: unterminated heredoc ${name}`)
      const l = lines[next++]
      raw.push(l)
      const text = strip ? l.replace(/^\t+/, '') : l
      if (text === name) break
      body.push(text)
    }
    heredocs.push({name, content: body.map((b) => `${b}\n`).join(''), expand: m[2] === '', raw: raw.join('\n')})
  }
  return {heredocs, next}
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
  /** ends the instruction gathered so far; its heredocs' bodies start at `next`; returns the line after them */
  const finish = (next: number): number => {
    if (current === undefined) return next
    const text = current.trim()
    current = undefined
    if (!text) return next
    const m = /^(\S+)\s*([\s\S]*)$/.exec(text)!
    const command = m[1].toUpperCase()
    if (!INSTRUCTIONS.has(command)) throw new UsageError(`${file}:${currentLine}: unknown instruction: ${m[1]}`)
    const {flags, flagList, rest} = command === 'RUN' || command === 'COPY' || command === 'ADD' || command === 'FROM' || command === 'HEALTHCHECK' ? splitFlags(m[2]) : {flags: {}, flagList: [], rest: m[2].trim()}
    const json = parseJsonArray(rest)
    const {heredocs, next: after} = HEREDOC_COMMANDS.has(command) && !json ? readHeredocs(rest, lines, next, file, currentLine) : {heredocs: [], next}
    out.push({command, flags, flagList, rest, json, original: `${command} ${m[2]}`.trim(), line: currentLine, heredocs})
    return after
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
    i = finish(i + 1) - 1
  }
  finish(lines.length)
  return out
}
