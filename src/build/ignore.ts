// .containerignore / .dockerignore: which context paths COPY and ADD leave out. Patterns as
// Docker's fileutils reads them: cleaned, relative to the context root, `*` and `?` within one
// path component, `**` across any number of them, `[...]` classes; `!` re-includes; the last
// matching pattern wins; a pattern that matches a dir matches everything below it.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../errors'

interface Pattern {
  regex: RegExp
  exclusion: boolean
  /** the cleaned pattern */
  text: string
}

function patternRegex(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++
        if (pattern[i + 1] === '/') {
          i++
          re += '(?:.*/)?'
        } else re += '.*'
      } else re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1)
      if (end < 0) re += '\\['
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`
    else re += c.replace(/[.+^${}()|\\/]/g, (x) => `\\${x}`)
  }
  return new RegExp(`^${re}$`)
}

export class IgnoreMatcher {
  private readonly patterns: Pattern[]

  constructor(lines: string[]) {
    this.patterns = lines
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const exclusion = l.startsWith('!')
        let p = exclusion ? l.slice(1).trim() : l
        p = path.posix.normalize(p).replace(/^\/+/, '').replace(/\/+$/, '')
        if (p === '.' ) p = '*'
        return {regex: patternRegex(p), exclusion, text: p}
      })
  }

  get empty(): boolean {
    return this.patterns.length === 0
  }

  /** Is `rel` (relative to the context, '/'-separated) left out? */
  ignores(rel: string): boolean {
    const parts = rel.split('/')
    let ignored = false
    for (const p of this.patterns) {
      let hit = false
      for (let n = parts.length; n >= 1 && !hit; n--) hit = p.regex.test(parts.slice(0, n).join('/'))
      if (hit) ignored = !p.exclusion
    }
    return ignored
  }

  /**
   * Is an ignored dir `rel` still looked into, for a `!` pattern that may re-include something
   * below it? As buildah's copier decides: only when such a pattern's text starts with `rel`
   * (so `!*\/x` does not bring back what an ignored dir holds, `!dir/x` does).
   */
  mayReincludeBelow(rel: string): boolean {
    return this.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(rel))
  }
}

/** The context's ignore file: `ignoreFile` when given, else .containerignore, else .dockerignore. */
/** The lines of `ignoreFile`, else of the context's .containerignore or .dockerignore (none: []). */
export function ignoreFileLines(contextDir: string, ignoreFile?: string): string[] {
  const candidates = ignoreFile ? [ignoreFile] : [path.join(contextDir, '.containerignore'), path.join(contextDir, '.dockerignore')]
  for (const file of candidates) {
    try {
      return fs.readFileSync(file, 'utf8').split(/\r?\n/)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !ignoreFile) continue
      throw new UsageError(`reading ignore file ${JSON.stringify(file)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`)
    }
  }
  return []
}

export function loadIgnore(contextDir: string, ignoreFile?: string): IgnoreMatcher {
  return new IgnoreMatcher(ignoreFileLines(contextDir, ignoreFile))
}
