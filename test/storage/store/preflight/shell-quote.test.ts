// Paths in the fix commands preflight prints must survive a paste into a shell.
import test from 'ava'
import {execFileSync} from 'node:child_process'

import {shellQuote} from '../../../../src/storage/store/preflight/shell-quote'

test('safe words stay bare; others are single-quoted with embedded quotes closed and reopened', (t) => {
  t.is(shellQuote('/home/u/.local/share/containers'), '/home/u/.local/share/containers')
  t.is(shellQuote('a=b,c:d@e%f^g+h'), 'a=b,c:d@e%f^g+h')
  t.is(shellQuote(''), "''")
  t.is(shellQuote('with space'), "'with space'")
  t.is(shellQuote("it's"), "'it'\\''s'")
  t.is(shellQuote('$HOME'), "'$HOME'")
})

test('what sh reads back is the word itself', (t) => {
  for (const word of ["it's a 'test'", '$(rm -rf /)', 'a\nb', '`x`', '*', '~', '"q"\\'])
    t.is(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`]).toString(), word)
})
