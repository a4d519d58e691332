// One file decides tspod's exit statuses: src/cli/exit-codes.ts. This test reads the code of
// src/ and native/ (comments, strings and regular expressions left out: help texts may name
// the statuses) and fails on 125, 126 or 127 anywhere else.
//
// Allowed, each for the reason given:
// - numbers that are no exit status (the loopback network 127/8, a signed byte's top), below;
// - tspod-exec-helper's refusal when a container runs it as its own program: that is the
//   program's exit status, a shell's "cannot execute" (there is no tspod to ask).
// package.json's oclif.exitCodes (oclif's own parse errors) is not code under src/: allowed.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {REPO} from '../helpers/rootless'

const THE_FILE = 'src/cli/exit-codes.ts'

const ALLOWED: {file: string; line: RegExp; why: string}[] = [
  {file: 'hosts-entries.ts', line: /a !== 127 &&/, why: 'the loopback network 127.0.0.0/8'},
  {file: 'tar-index.ts', line: /b > 127 \? b - 256 : b/, why: 'a byte read as signed'},
  {file: 'native/exec-helper/tspod-exec-helper.c', line: /^#define EXIT_SHELL_CANNOT_EXECUTE 126$/, why: "the helper run as a container's program"},
]

function files(dir: string, extensions: string[]): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'build' ? [] : files(full, extensions)
    return extensions.some((ext) => e.name.endsWith(ext)) ? [full] : []
  })
}

/** Where a `/` starts a regular expression rather than a division (the usual heuristic). */
const BEFORE_REGEX = /(^|[(,=:[!&|?{};+\-*%<>~^]|\breturn|\btypeof|\bcase)\s*$/

/** The text with comments, string and template literals (and, for TypeScript, regular expressions) blanked; lines kept. */
function codeOnly(text: string, typescript: boolean): string {
  let out = ''
  let i = 0
  const blank = (s: string) => s.replace(/[^\n]/g, ' ')
  while (i < text.length) {
    const c = text[i]
    const next = text[i + 1]
    let end = -1
    if (c === '/' && next === '/') {
      end = text.indexOf('\n', i)
      if (end < 0) end = text.length
    } else if (c === '/' && next === '*') {
      end = text.indexOf('*/', i + 2)
      end = end < 0 ? text.length : end + 2
    } else if (c === '"' || c === "'" || c === '`' || (typescript && c === '/' && BEFORE_REGEX.test(out.slice(-40)))) {
      let j = i + 1
      let inClass = false
      while (j < text.length) {
        if (text[j] === '\\') j += 2
        else if (c === '/' && text[j] === '[') (inClass = true), j++
        else if (c === '/' && text[j] === ']') (inClass = false), j++
        else if (text[j] === c && !inClass) break
        else if (text[j] === '\n' && c !== '`') break
        else j++
      }
      end = j + 1
    }
    if (end < 0) {
      out += c
      i++
    } else {
      out += blank(text.slice(i, end))
      i = end
    }
  }
  return out
}

function exitNumbers(): string[] {
  const sources = [...files(path.join(REPO, 'src'), ['.ts']), ...files(path.join(REPO, 'native'), ['.c', '.cc', '.h'])]
  const found: string[] = []
  for (const file of sources) {
    const rel = path.relative(REPO, file)
    if (rel === THE_FILE) continue
    const lines = codeOnly(fs.readFileSync(file, 'utf8'), file.endsWith('.ts')).split('\n')
    const original = fs.readFileSync(file, 'utf8').split('\n')
    lines.forEach((line, n) => {
      if (!/\b12[567]\b/.test(line)) return
      if (ALLOWED.some((a) => (rel === a.file || rel.endsWith(`/${a.file}`)) && a.line.test(original[n].trim()))) return
      found.push(`${rel}:${n + 1}: ${original[n].trim()}`)
    })
  }
  return found
}

test('125, 126 and 127 are exit statuses in src/cli/exit-codes.ts only', (t) => {
  t.deepEqual(exitNumbers(), [])
  const theFile = codeOnly(fs.readFileSync(path.join(REPO, THE_FILE), 'utf8'), true)
  for (const n of ['125', '126', '127']) t.regex(theFile, new RegExp(`\\b${n}\\b`))
})

test('the scan sees code, not comments, strings or regular expressions', (t) => {
  const ts = "const a = 125 // 126\nconst b = '127' + `126 ${x}` + /{0,127}/.source\n/* 125\n*/ x = y / 127"
  t.deepEqual(
    codeOnly(ts, true)
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' ').trim()),
    ['const a = 125', 'const b = + + .source', '', 'x = y / 127'],
  )
  t.is(codeOnly('#define X 126 /* 127 */ "125"', false).trim(), '#define X 126')
})
