// The template lexer: Go text/template's items, trim markers, comments and error items.
import test from 'ava'

import {lex, unquote} from '../../../../src/cli/format/go-template/lexer'

const items = (src: string) => lex(src).map((i) => `${i.type}:${i.value}`)

test('text and actions; fields, variables, keywords, literals, pipes and declarations', (t) => {
  t.deepEqual(items('a {{.Name}} b'), ['text:a ', 'leftDelim:{{', 'field:.Name', 'rightDelim:}}', 'text: b', 'eof:'])
  t.deepEqual(items('{{range $i, $v := .List}}{{$v | printf "%d"}}{{end}}'), [
    'leftDelim:{{', 'keyword:range', 'space: ', 'variable:$i', 'otherChar:,', 'space: ', 'variable:$v', 'space: ', 'declare::=', 'space: ', 'field:.List', 'rightDelim:}}',
    'leftDelim:{{', 'variable:$v', 'space: ', 'pipe:|', 'space: ', 'identifier:printf', 'space: ', 'string:"%d"', 'rightDelim:}}',
    'leftDelim:{{', 'keyword:end', 'rightDelim:}}', 'eof:',
  ])
  t.deepEqual(items('{{eq .A 1.5 true nil}}'), ['leftDelim:{{', 'identifier:eq', 'space: ', 'field:.A', 'space: ', 'number:1.5', 'space: ', 'bool:true', 'space: ', 'nil:nil', 'rightDelim:}}', 'eof:'])
})

test('trim markers eat the spaces beside them; comments vanish', (t) => {
  t.deepEqual(items('x  {{- .X -}}  y'), ['text:x', 'leftDelim:{{', 'field:.X', 'rightDelim:}}', 'text:y', 'eof:'])
  t.deepEqual(items('{{/* a comment */}}z'), ['text:z', 'eof:'])
})

test('an unterminated string or action ends in an error item', (t) => {
  t.deepEqual(items('{{"open}}'), ['leftDelim:{{', 'error:unterminated quoted string'])
  t.deepEqual(items('{{.A'), ['leftDelim:{{', 'field:.A', 'error:unclosed action'])
})

test('unquote is strconv.Unquote: escapes in "..." and \'.\', raw `...` as is', (t) => {
  t.is(unquote('"a\\tb\\u00e9\\x41\\n"'), 'a\tbéA\n')
  t.is(unquote('`raw\\n`'), 'raw\\n')
  t.is(unquote("'x'"), 'x')
  t.throws(() => unquote('"\\q"'), {message: 'invalid syntax'})
})
