import test from 'ava'
import * as vm from 'node:vm'

import {asciiSource} from '../../src/cli/ascii-source'

/** What `source` (an expression) evaluates to. */
const value = (source: string): unknown => vm.runInNewContext(`(${source})`)

test('asciiSource escapes non-ASCII characters and means the same in every kind of literal', (t) => {
  const samples = [
    String.raw`/^(\d+)(ns|us|µs|ms)$/.exec('5µs').slice(1).join()`,
    String.raw`/[\u0000-\u001f\u009b]/.test('\u009b') + /[]/.source.length`,
    String.raw`'µ-é' + "ü" + ${'`'}🐳 ${'${1}'}${'`'}`,
    String.raw`/\µ/.test('µ') && /\\µ/.test('\\µ') && !/\\µ/.test('µ')`,
    String.raw`/🐳/u.test('🐳') && /^.$/u.test('🐳') && /^..$/.test('🐳')`,
    String.raw`(() => { const π = 3; return π })()`,
  ]
  for (const source of samples) {
    const ascii = asciiSource(source)
    t.regex(ascii, /^[\x00-\x7f]*$/, ascii)
    t.deepEqual(value(ascii), value(source), source)
  }
  t.is(asciiSource('plain'), 'plain')
})
