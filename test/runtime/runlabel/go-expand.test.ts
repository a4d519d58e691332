// $NAME and ${NAME} expanded as Go's os.Expand does it.
import test from 'ava'

import {expandVariables} from '../../../src/runtime/runlabel/go-expand'

const values: Record<string, string> = {A: 'x', B_1: 'y', '1': 'one', $: 'pid'}
const lookup = (name: string) => values[name] ?? ''

test('names of letters, digits and underscores, braced or not; unknown ones expand to nothing', (t) => {
  t.is(expandVariables('$A-${B_1}-$B_1z-$C.', lookup), 'x-y--.')
  t.is(expandVariables('pre${A}post', lookup), 'prexpost')
})

test('the shell specials are one-character names', (t) => {
  t.is(expandVariables('$1b ${1} $$ $?', lookup), 'oneb one pid ')
})

test('a $ not followed by a name stays; ${} and an unclosed ${ are dropped; a last $ stays', (t) => {
  t.is(expandVariables('a $ b $. c$', lookup), 'a $ b $. c$')
  t.is(expandVariables('a${}b', lookup), 'ab')
  t.is(expandVariables('a${b', lookup), 'ab')
})
