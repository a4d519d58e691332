// Variable expansion in instructions.
import test from 'ava'

import {expandVariables} from '../../src/build/expand'

const vars = new Map([['A', 'x'], ['E', '']])

test('$VAR, ${VAR} and the :- :+ - + forms; unset is empty', (t) => {
  t.is(expandVariables('$A ${A}/$NONE.', vars), 'x x/.')
  t.is(expandVariables('${NONE:-d} ${E:-d} ${E-d} ${A:+alt} ${E:+alt} ${E+alt}', vars), 'd d  alt  alt')
})

test('single quotes and an escaped $ keep the text', (t) => {
  t.is(expandVariables(`'$A' \\$A`, vars), `'$A' \\$A`)
})
