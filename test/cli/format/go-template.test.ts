import test from 'ava'

import {UsageError} from '../../../src/errors'
import {alignColumns, compileTemplate, isJsonFormat, normalizeFormat, renderTable, splitCamelCase} from '../../../src/cli/format/go-template'

// Expected strings follow Go's text/template, fmt and containers/common's report package.
const render = (source: string, data: unknown = {}): string => compileTemplate(source).render(data)

const INFO = {
  host: {kernel: '6.1', security: {rootless: true}, idMappings: {uidmap: [{container_id: 0, host_id: 1000, size: 1}]}},
  store: {graphRoot: '/g', graphDriverName: 'overlay'},
}

// ---- fields and values --------------------------------------------------------------------

test('Podman-style fields: Go field names find camelCase JSON keys', (t) => {
  t.is(render('{{.Host.Kernel}}', {host: {kernel: '6.1'}}), '6.1')
  t.is(render('{{.host.kernel}}', INFO), '6.1')
  t.is(render('{{.Store.GraphRoot}} {{.Store.GraphDriverName}}', INFO), '/g overlay')
  t.is(render('{{.Host.Security.Rootless}}', INFO), 'true')
})

test('field lookup: the exact key wins over a case-insensitive match', (t) => {
  const data = {Name: 'upper', name: 'lower'}
  t.is(render('{{.Name}}', data), 'upper')
  t.is(render('{{.name}}', data), 'lower')
  t.is(render('{{.NAME}}', data), 'upper') // the first key in order that matches
})

test('missing fields print <no value>, like a missing key of a Go map', (t) => {
  t.is(render('{{.Nope}}', INFO), '<no value>')
  t.is(render('{{.Host.Nope}}', INFO), '<no value>')
  t.is(render('{{.A.B.C}}', {}), '<no value>')
  t.is(render('{{.N}}', {N: null}), '<no value>')
  // no inherited properties
  t.is(render('{{.constructor}} {{.toString}} {{.__proto__}}', {}), '<no value> <no value> <no value>')
})

test('dot and $ are the data', (t) => {
  t.is(render('{{.}}', 'plain'), 'plain')
  t.is(render('{{$}}', 42), '42')
  t.is(render('{{range .L}}{{$.A}}{{.}}{{end}}', {A: '-', L: [1, 2]}), '-1-2')
})

test('values print like fmt %v', (t) => {
  t.is(render('{{.S}}|{{.I}}|{{.F}}|{{.Neg}}|{{.T}}|{{.B}}', {S: 'text', I: 42, F: 1.5, Neg: -3, T: true, B: false}), 'text|42|1.5|-3|true|false')
  t.is(render('{{.Small}} {{.Big}}', {Small: 0.00001, Big: 1234567.5}), '1e-05 1.2345675e+06')
  t.is(render('{{.L}} {{.E}}', {L: ['a', 'b', 'c'], E: []}), '[a b c] []')
  t.is(render('{{.L}}', {L: [1, null, 'x']}), '[1 <nil> x]')
  t.is(render('{{.M}}', {M: {b: 2, a: {d: [true], c: 'x'}}}), 'map[a:map[c:x d:[true]] b:2]')
  t.is(render('{{.M}}', {M: {}}), 'map[]')
  t.is(render('{{.D}}', {D: new Date(Date.UTC(2024, 0, 2, 3, 4, 5))}), '2024-01-02 03:04:05 +0000 UTC')
  t.is(render('{{.D}}', {D: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 250))}), '2024-01-02 03:04:05.25 +0000 UTC')
})

test('a field of a non-object is an error', (t) => {
  t.throws(() => render('{{.A.B}}', {A: 's'}), {instanceOf: UsageError, message: 'template: output:1:2: executing "output" at <.A.B>: can\'t evaluate field B in type string'})
  t.throws(() => render('{{.L.X}}', {L: [1]}), {message: /can't evaluate field X in type \[\]interface \{\}$/})
})

// ---- text, trim markers, comments, literals ----------------------------------------------

test('text is copied and trim markers remove adjacent white space', (t) => {
  t.is(render('plain text, no actions'), 'plain text, no actions')
  t.is(render('a  {{- .X -}}  b', {X: 1}), 'a1b')
  t.is(render('x \r\n\t{{- 3}}'), 'x3')
  t.is(render('{{3 -}}\n\n\ty'), '3y')
  t.is(render('x\n{{-  3   -}}\ny'), 'x3y')
  t.is(render('{{-3}} {{ -3 }}'), '-3 -3') // "{{-3" is a negative number, not a trim marker
  t.is(render('{{range .L -}}\n  {{.}}\n{{- end}}', {L: [1, 2]}), '12')
})

test('comments produce nothing and may trim', (t) => {
  t.is(render('{{/* a comment */}}x'), 'x')
  t.is(render('a {{- /* trims both sides */ -}} b'), 'ab')
  t.is(render('{{/*\nmulti\nline\n*/}}y'), 'y')
})

test('string, number, boolean and nil literals', (t) => {
  t.is(render('{{"q"}} {{`raw \\n`}} {{"tab\\there"}} {{"\\x41\\u00e9\\101\\""}}'), 'q raw \\n tab\there AéA"')
  t.is(render('{{1}} {{1.5}} {{1e3}} {{0x1F}} {{0o17}} {{017}} {{0b101}} {{1_000}} {{.5}} {{-2}}'), '1 1.5 1000 31 15 15 5 1000 0.5 -2')
  t.is(render("{{'a'}} {{'\\n'}}"), '97 10')
  t.is(render('{{true}} {{false}}'), 'true false')
  t.is(render('{{print nil}}'), '<nil>')
})

// ---- variables ----------------------------------------------------------------------------

test('variables: declaration, assignment and scope', (t) => {
  t.is(render('{{$x := .A}}{{$x}}', {A: 'v'}), 'v')
  t.is(render('{{$x := 1}}{{$x = 2}}{{$x}}'), '2')
  // an assignment inside range changes the outer variable
  t.is(render('{{$last := ""}}{{range .L}}{{$last = .}}{{end}}{{$last}}', {L: ['a', 'b', 'c']}), 'c')
  // a variable declared by if/with is visible in both branches
  t.is(render('{{if $x := .A}}yes {{$x}}{{else}}no {{$x}}{{end}}', {A: 0}), 'no 0')
  t.is(render('{{with $x := .A}}{{$x}}{{end}}', {A: 'w'}), 'w')
  // declarations inside a block end with the block
  t.throws(() => compileTemplate('{{with $x := 4}}{{end}}{{$x}}'), {message: 'template parsing error: template: output:1: undefined variable "$x"'})
})

test('range variables: one gets the element, two get index or key and element', (t) => {
  t.is(render('{{range $e := .L}}{{$e}};{{end}}', {L: ['a', 'b']}), 'a;b;')
  t.is(render('{{range $i, $e := .L}}{{$i}}={{$e}};{{end}}', {L: ['a', 'b']}), '0=a;1=b;')
  t.is(render('{{range $k, $v := .M}}{{$k}}:{{$v}} {{end}}', {M: {b: 2, a: 1}}), 'a:1 b:2 ')
  t.is(render('{{$i := 9}}{{$e := 9}}{{range $i, $e = .L}}{{end}}{{$i}} {{$e}}', {L: ['a', 'b']}), '1 b')
})

// ---- pipelines ----------------------------------------------------------------------------

test('pipelines pass each result as the last argument of the next command', (t) => {
  t.is(render('{{.Store | json}}', INFO), '{"graphRoot":"/g","graphDriverName":"overlay"}')
  t.is(render('{{.Host.Kernel | printf "%s!"}}', INFO), '6.1!')
  t.is(render('{{"a" | printf "%s-%s" "b"}}'), 'b-a')
  t.is(render('{{.S | lower | printf "<%s>"}}', {S: 'ABC'}), '<abc>')
  t.is(render('{{.X|}}', {X: 1}), '1') // Go accepts a trailing pipe
})

test('parenthesised pipelines, with fields applied to their result', (t) => {
  t.is(render('{{printf "%d items" (len .L)}}', {L: [1, 2, 3]}), '3 items')
  t.is(render('{{(index .L 0).N}}', {L: [{N: 7}]}), '7')
  t.is(render('{{printf "%s" (print (upper "a") "b")}}'), 'Ab')
})

// ---- control structures -------------------------------------------------------------------

test('if / else if / else', (t) => {
  const tpl = '{{if .Rootless}}yes{{else}}no{{end}}'
  t.is(render(tpl, {Rootless: true}), 'yes')
  t.is(render(tpl, {Rootless: false}), 'no')
  t.is(render(tpl, {}), 'no')
  const chain = '{{if eq .N 1}}one{{else if eq .N 2 3}}two-or-three{{else}}many{{end}}'
  t.deepEqual([1, 2, 3, 9].map((N) => render(chain, {N})), ['one', 'two-or-three', 'two-or-three', 'many'])
  t.is(render('{{if .A}}a{{end}}', {A: 1}), 'a')
})

test("truth is Go's: false, 0, nil and empty strings, lists and maps are false", (t) => {
  const truth = (value: unknown): string => render('{{if .V}}T{{else}}F{{end}}', {V: value})
  t.deepEqual([false, 0, '', null, undefined, [], {}].map(truth), ['F', 'F', 'F', 'F', 'F', 'F', 'F'])
  t.deepEqual([true, 1, -1, 0.5, 'x', '0', [0], {a: 0}].map(truth), ['T', 'T', 'T', 'T', 'T', 'T', 'T', 'T'])
})

test('with sets dot; else and else with', (t) => {
  t.is(render('{{with .Store}}{{.GraphRoot}}{{else}}none{{end}}', INFO), '/g')
  t.is(render('{{with .Missing}}x{{else}}none{{end}}', INFO), 'none')
  t.is(render('{{with .A}}a={{.}}{{else with .B}}b={{.}}{{else}}neither{{end}}', {B: 2}), 'b=2')
  t.is(render('{{with .A}}a={{.}}{{else with .B}}b={{.}}{{else}}neither{{end}}', {}), 'neither')
})

test('range over lists, maps in key order, and integers; else when empty', (t) => {
  t.is(render('{{range .Names}}{{.}} {{end}}', {Names: ['a', 'b']}), 'a b ')
  t.is(render('{{range .M}}{{.}},{{end}}', {M: {z: 1, a: 2, m: 3}}), '2,3,1,')
  t.is(render('{{range 3}}{{.}}{{end}}'), '012')
  t.is(render('{{range .Names}}x{{else}}empty{{end}}', {Names: []}), 'empty')
  t.is(render('{{range .Missing}}x{{else}}empty{{end}}', {}), 'empty')
  t.is(render('{{range .M}}x{{else}}empty{{end}}', {M: {}}), 'empty')
  t.is(render('{{range .Outer}}[{{range .}}{{.}}{{end}}]{{end}}', {Outer: [[1, 2], [3]]}), '[12][3]')
  t.throws(() => render('{{range .S}}{{end}}', {S: 'abc'}), {message: /range can't iterate over abc$/})
})

test('break and continue inside range', (t) => {
  const tpl = '{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}'
  t.is(render(tpl, {L: [1, 2, 3, 4, 5]}), '13')
  t.throws(() => compileTemplate('{{break}}'), {message: /\{\{break\}\} outside \{\{range\}\}$/})
})

test('a compiled template can be rendered many times', (t) => {
  const tpl = compileTemplate('{{$n := .N}}{{range .L}}{{$n = .}}{{end}}{{$n}}')
  t.is(tpl.render({N: 'a', L: []}), 'a')
  t.is(tpl.render({N: 'b', L: ['c']}), 'c')
  t.is(tpl.render({N: 'd', L: []}), 'd')
})

// ---- functions ----------------------------------------------------------------------------

test('and / or return an argument and stop evaluating once the result is known', (t) => {
  t.is(render('{{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} {{or 0 ""}}|'), '0 2 x |')
  t.is(render('{{and nil 1}}'), '<no value>') // nil is the first false argument
  // index would fail on the empty list; and never evaluates it
  t.is(render('{{if and .L (index .L 0)}}first{{else}}none{{end}}', {L: []}), 'none')
  t.is(render('{{if or .A (index .L 5)}}short-circuit{{end}}', {A: true, L: []}), 'short-circuit')
  t.is(render('{{.A | and 1}} {{.A | or 0}}', {A: 'piped'}), 'piped piped')
  t.is(render('{{not .A}} {{not .B}}', {A: '', B: 'x'}), 'true false')
})

test('comparisons: eq with several arguments, ne, lt, le, gt, ge', (t) => {
  t.is(render('{{eq .S "a"}} {{eq .S "b" "c" "a"}} {{eq .N 2}} {{eq .T true}}', {S: 'a', N: 2, T: true}), 'true true true true')
  t.is(render('{{eq .Missing nil}} {{eq .S nil}}', {S: 'a'}), 'true false')
  t.is(render('{{ne 1 2}} {{ne "a" "a"}}'), 'true false')
  t.is(render('{{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}} {{lt "abc" "abd"}} {{gt 1.5 1}}'), 'true true true false true true')
  t.throws(() => render('{{eq "a" 1}}'), {message: 'template: output:1:2: executing "output" at <eq "a" 1>: error calling eq: incompatible types for comparison'})
  t.throws(() => render('{{lt true false}}'), {message: /error calling lt: invalid type for comparison$/})
  t.throws(() => render('{{eq .L .L}}', {L: [1]}), {message: /error calling eq: non-comparable type/})
  t.throws(() => render('{{eq 1}}'), {message: /error calling eq: missing argument for comparison$/})
})

test('len, index and slice', (t) => {
  t.is(render('{{len .S}} {{len .L}} {{len .M}}', {S: 'héllo', L: [1, 2], M: {a: 1}}), '6 2 1') // len counts bytes, as in Go
  t.is(render('{{index .L 1}} {{index .M "k"}} {{index .N 0 "x" 1}}', {L: ['a', 'b'], M: {k: 'v'}, N: [{x: [5, 6]}]}), 'b v 6')
  t.is(render('{{index .M "nope"}}', {M: {k: 'v'}}), '<no value>')
  t.is(render('{{index .S 0}}', {S: 'A'}), '65') // a byte
  t.is(render('{{slice .S 1 3}} {{slice .L 1}} {{slice .L}}', {S: 'abcd', L: [1, 2, 3]}), 'bc [2 3] [1 2 3]')
  t.throws(() => render('{{index .L 5}}', {L: [1]}), {message: 'template: output:1:2: executing "output" at <index .L 5>: error calling index: index out of range: 5'})
  t.throws(() => render('{{len 3}}'), {message: /error calling len: len of type int$/})
})

test('print and println', (t) => {
  // Sprint adds spaces between operands when neither is a string
  t.is(render('{{print 1 2 "s" 3 "t" "u" true}}'), '1 2s3tutrue')
  t.is(render('{{print .Missing}}'), '<nil>')
  t.is(render('{{println "a" 1 .L}}', {L: [2]}), 'a 1 [2]\n')
})

test('printf: the verbs Podman users write', (t) => {
  t.is(render('{{printf "%s|%d|%v|%q|%t|%x|%%" "a" 42 .L "q\\"" true 255}}', {L: [1, 2]}), 'a|42|[1 2]|"q\\""|true|ff|%')
  t.is(render('{{printf "[%5s][%-10s][%05d][%-5d][%5.1f]" "ab" "left" 42 7 3.14159}}'), '[   ab][left      ][00042][7    ][  3.1]')
  t.is(render('{{printf "%X %o %b %c %U %+d %x" 255 8 5 65 65 5 "hi"}}'), 'FF 10 101 A U+0041 +5 6869')
  t.is(render('{{printf "%.2f %.0f %.0f %e %g %g" 2.675 0.5 1.5 1234.5678 1e6 100000}}'), '2.67 0 2 1.234568e+03 1e+06 100000')
  t.is(render('{{printf "%.3s|%v|%s" "abcdef" .M .L}}', {M: {b: 1, a: 'x'}, L: ['p', 'q']}), 'abc|map[a:x b:1]|[p q]')
})

test("printf: Go's fmt error markers", (t) => {
  t.is(render('{{printf "%d" "x"}}'), '%!d(string=x)')
  t.is(render('{{printf "%s" 5}}'), '%!s(int=5)')
  t.is(render('{{printf "%d" 1.5}}'), '%!d(float64=1.5)')
  t.is(render('{{printf "%s %s" "a"}}'), 'a %!s(MISSING)')
  t.is(render('{{printf "%s" "a" 1 "b"}}'), 'a%!(EXTRA int=1, string=b)')
  t.is(render('{{printf "%d" .Missing}}'), '%!d(<nil>)')
  t.is(render('{{printf "100%"}}'), '100%!(NOVERB)')
})

test('json: compact, HTML characters unescaped, like the report package', (t) => {
  t.is(render('{{json .Store}}', INFO), '{"graphRoot":"/g","graphDriverName":"overlay"}')
  t.is(render('{{json .Host.IDMappings.UIDMap}}', INFO), '[{"container_id":0,"host_id":1000,"size":1}]')
  t.is(render('{{json .}}', {s: '<a&b>', n: 1.5, z: null, l: [true]}), '{"s":"<a&b>","n":1.5,"z":null,"l":[true]}')
  t.is(render('{{json .Missing}} {{json "x"}} {{json 3}}'), 'null "x" 3')
  t.is(render('{{json .S}}', {S: 'line\u2028sep\n'}), '"line\\u2028sep\\n"')
})

test('lower, upper, title, truncate, pad, join, split', (t) => {
  t.is(render('{{lower .S}} {{upper .S}} {{.S | lower}}', {S: 'MiX'}), 'mix MIX mix')
  t.is(render('{{title "hello world-wide"}}'), 'Hello World-Wide')
  t.is(render('{{truncate .S 3}}|{{truncate .S 10}}', {S: 'abcdef'}), 'abc|abcdef')
  t.is(render('[{{pad .S 2 1}}][{{pad "" 2 1}}]', {S: 'x'}), '[  x ][]') // pad leaves "" alone
  t.is(render('{{join .L ", "}}|{{join .Missing ","}}', {L: ['a', 'b', 'c']}), 'a, b, c|')
  t.is(render('{{split "a:b:c" ":"}} {{len (split "a:b" ":")}}'), '[a b c] 2')
  t.is(render('{{range split .S ","}}<{{.}}>{{end}}', {S: 'x,y'}), '<x><y>')
  t.is(render('{{upper .N}}', {N: 12}), '12') // numbers are accepted where Go wants a string
})

test('table is not a function', (t) => {
  t.throws(() => compileTemplate('{{table .X}}'), {message: 'template parsing error: template: output:1: function "table" not defined'})
})

// ---- errors -------------------------------------------------------------------------------

test('syntax errors are one-line UsageErrors with Go-style messages', (t) => {
  const cases: [string, string][] = [
    ['{{.A', 'output:1: unclosed action'],
    ['line1\n{{.A\n', 'output:3: unclosed action started at output:2'],
    ['{{nosuch .A}}', 'output:1: function "nosuch" not defined'],
    ['{{end}}', 'output:1: unexpected {{end}}'],
    ['{{else}}', 'output:1: unexpected {{else}}'],
    ['{{if .A}}x', 'output:1: unexpected EOF'],
    ['{{range .L}}\n', 'output:2: unexpected EOF'],
    ['{{if .A}}1{{else}}2{{else}}3{{end}}', 'output:1: expected end; found {{else}}'],
    ['{{printf "x"}', 'output:1: unexpected "}" in operand'],
    ['{{.A}', "output:1: bad character U+007D '}'"],
    ['{{}}', 'output:1: missing value for command'],
    ['{{if}}x{{end}}', 'output:1: missing value for if'],
    ['{{$x}}', 'output:1: undefined variable "$x"'],
    ['{{12|false}}', 'output:1: non executable command in pipeline stage 2'],
    ['{{"abc}}', 'output:1: unterminated quoted string'],
    ['{{/* x }}', 'output:1: unclosed comment'],
    ['{{.X (1 2}}', 'output:1: unclosed left paren'],
    ['{{.X 1 ) }}', 'output:1: unexpected right paren'],
    ['{{range $k, .}}{{end}}', 'output:1: range can only initialize variables'],
    ['{{true.E}}', 'output:1: unexpected . after term "true"'],
    ['{{define "x"}}{{end}}', 'output:1: {{define}} is not supported'],
  ]
  for (const [source, message] of cases) {
    const err = t.throws(() => compileTemplate(source), {instanceOf: UsageError}, source)
    t.is(err?.message, `template parsing error: template: ${message}`, source)
    t.false(err?.message.includes('\n'), source)
  }
})

test('the template name appears in errors', (t) => {
  t.throws(() => compileTemplate('{{end}}', 'ps'), {message: 'template parsing error: template: ps:1: unexpected {{end}}'})
  t.throws(() => compileTemplate('{{len}}', 'ps').render({}), {message: 'template: ps:1:2: executing "ps" at <len>: wrong number of args for len: want 1 got 0'})
})

test('execution errors are UsageErrors that say where they happened', (t) => {
  const cases: [string, unknown, string][] = [
    ['{{truncate .S}}', {S: 'x'}, 'output:1:2: executing "output" at <truncate>: wrong number of args for truncate: want 2 got 1'],
    ['{{printf}}', {}, 'output:1:2: executing "output" at <printf>: wrong number of args for printf: want at least 1 got 0'],
    ['{{upper .L}}', {L: [1]}, 'output:1:8: executing "output" at <.L>: wrong type for value; expected string; got []interface {}'],
    ['{{truncate "abc" "x"}}', {}, 'output:1:17: executing "output" at <"x">: wrong type for value; expected int; got string'],
    ['{{upper .Missing}}', {}, 'output:1:8: executing "output" at <.Missing>: invalid value; expected string'],
    ['{{$x := 1}}\n{{$x 2}}', {}, 'output:2:2: executing "output" at <$x>: can\'t give argument to non-function $x'],
    ['{{.A 1}}', {A: 1}, 'output:1:2: executing "output" at <.A>: A is not a method but has arguments'],
    ['{{1 | .A}}', {A: 1}, 'output:1:6: executing "output" at <.A>: A is not a method but has arguments'],
    ['{{nil}}', {}, 'output:1:2: executing "output" at <nil>: nil is not a command'],
  ]
  for (const [source, data, message] of cases) {
    const err = t.throws(() => render(source, data), {instanceOf: UsageError}, source)
    t.is(err?.message, `template: ${message}`, source)
  }
})

// ---- Podman's --format conventions ------------------------------------------------------

test('isJsonFormat', (t) => {
  t.true(isJsonFormat('json'))
  t.true(isJsonFormat(' JSON '))
  t.true(isJsonFormat('Json\n'))
  t.true(isJsonFormat('{{json}}'))
  t.true(isJsonFormat('{{ json. }}'))
  t.false(isJsonFormat('{{json .}}')) // a template that prints JSON, handled by the template
  t.false(isJsonFormat('jsonx'))
  t.false(isJsonFormat('table json'))
})

test('normalizeFormat: escapes, newline per record, table keyword', (t) => {
  t.deepEqual(normalizeFormat('{{.ID}}'), {table: false, source: '{{.ID}}\n'})
  t.deepEqual(normalizeFormat('{{.ID}}\\t{{.Names}}\\n'), {table: false, source: '{{.ID}}\t{{.Names}}\n'})
  t.deepEqual(normalizeFormat('{{.ID}} {{.Names}}'), {table: false, source: '{{.ID}} {{.Names}}\n'})
  t.deepEqual(normalizeFormat('table {{.ID}}\\t{{.Names}}'), {table: true, source: '{{.ID}}\t{{.Names}}\n'})
  // in a table every space separates columns, as in containers/common
  t.deepEqual(normalizeFormat('table {{.ID}} {{.Names}}'), {table: true, source: '{{.ID}}\t{{.Names}}\n'})
  t.deepEqual(normalizeFormat('table {{ .ID}}\n'), {table: true, source: '{{\t.ID}}\n'})
  // only a leading "table " counts
  t.deepEqual(normalizeFormat('tablex {{.ID}}'), {table: false, source: 'tablex {{.ID}}\n'})
  t.deepEqual(normalizeFormat(' table {{.ID}}'), {table: false, source: ' table {{.ID}}\n'})
  // when the replacements break the template, the text is used as typed
  t.deepEqual(normalizeFormat('{{printf "\\n"}}'), {table: false, source: '{{printf "\\n"}}'})
  t.deepEqual(normalizeFormat('table {{printf "\\n"}}'), {table: true, source: '{{printf "\\n"}}'})
  t.is(render(normalizeFormat('{{.A}}\\t{{.B}}').source, {A: 1, B: 2}), '1\t2\n')
})

test('renderTable: a header row from the fields, then aligned rows (table {{.ID}}\\t{{.Names}})', (t) => {
  const rows = [
    {ID: 'abc', Names: 'first'},
    {ID: 'abcdef', Names: 'x'},
  ]
  const {table, source} = normalizeFormat('table {{.ID}}\\t{{.Names}}')
  t.true(table)
  t.is(renderTable(rows, source, {}), 'ID      NAMES\nabc     first\nabcdef  x\n')
  t.is(renderTable(rows, source, {ID: 'CONTAINER ID'}), 'CONTAINER ID  NAMES\nabc           first\nabcdef        x\n')
  t.is(renderTable([], source, {}), 'ID  NAMES\n')
})

test('renderTable: titles split camel case, upper-case overrides, and run through the template', (t) => {
  const rows = [{ImageID: 'sha', CreatedSince: '2 days ago', Size: 1024}]
  t.is(renderTable(rows, '{{.ImageID}}\t{{.CreatedSince}}\t{{.Size}}\n', {Size: 'disk size'}), 'IMAGE ID  CREATED SINCE  DISK SIZE\nsha       2 days ago     1024\n')
  // Podman executes the template on the titles: functions apply to them too
  t.is(renderTable([{ID: 'abcdef'}], '{{.ID | printf "%.3s"}}|{{lower .ID}}\n', {}), 'ID|id\nabc|abcdef\n')
  t.is(renderTable([{Host: {Kernel: '6.1'}}], '{{.Host.Kernel}}\n', {}), 'KERNEL\n6.1\n')
})

test("renderTable: minWidth 12 reproduces containers/common's tabwriter", (t) => {
  const rows = [
    {ID: 'c061a0839e', Value: 'one'},
    {ID: 'f10fc2e11057', Value: 'two'},
    {ID: '1eb6fab5aa8f4b5cbfd3e66aa35e9b2a', Value: 'three'},
  ]
  t.is(
    renderTable(rows, '{{.ID}}\t{{.Value}}\n', {ID: 'Identity'}, {minWidth: 12}),
    'IDENTITY                          VALUE\nc061a0839e                        one\nf10fc2e11057                      two\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  three\n',
  )
  t.is(renderTable([{A: 'x', B: 'y'}], '{{.A}}\t{{.B}}\n', {}, {minWidth: 12}), 'A           B\nx           y\n')
})

test("alignColumns: Go's tabwriter, padding 2, column blocks end at lines without that cell", (t) => {
  t.is(alignColumns('a\tbb\tc\naaa\tb\tc'), 'a    bb  c\naaa  b   c')
  t.is(alignColumns('a\tb\nccc\td\nplain\nee\tf'), 'a    b\nccc  d\nplain\nee  f')
  t.is(alignColumns('é\tx\nab\ty'), 'é   x\nab  y') // widths count characters
  t.is(alignColumns('a\t\nbbb\t'), 'a    \nbbb  ')
  t.is(alignColumns('no tabs\n'), 'no tabs\n')
})

test('splitCamelCase follows fatih/camelcase', (t) => {
  t.deepEqual(splitCamelCase('CreatedSince'), ['Created', 'Since'])
  t.deepEqual(splitCamelCase('ID'), ['ID'])
  t.deepEqual(splitCamelCase('PDFLoader'), ['PDF', 'Loader'])
  t.deepEqual(splitCamelCase('SimpleXMLParser'), ['Simple', 'XML', 'Parser'])
  t.deepEqual(splitCamelCase('GL11Version'), ['GL', '11', 'Version'])
  t.deepEqual(splitCamelCase('AString'), ['A', 'String'])
  t.deepEqual(splitCamelCase('lowercase'), ['lowercase'])
})
