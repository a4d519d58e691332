import test from 'ava'

import {alignColumns, compileTemplate, isJsonFormat, normalizeFormat, renderTable} from '../../../src/cli/format/go-template'
import {sprintf} from '../../../src/cli/format/go-template-functions'

const render = (source: string, data: unknown) => compileTemplate(source).render(data)

const INFO = {host: {kernel: '6.1.0', security: {rootless: true}, idMappings: {uidmap: [{container_id: 0, host_id: 1000, size: 1}]}}, store: {graphRoot: '/g', graphDriverName: 'overlay'}}

test('fields: Go names find JSON-style keys; missing fields print <no value>', (t) => {
  t.is(render('{{.Host.Kernel}}', INFO), '6.1.0')
  t.is(render('{{.host.kernel}}', INFO), '6.1.0')
  t.is(render('{{.Store.GraphRoot}} {{.Store.GraphDriverName}}', INFO), '/g overlay')
  t.is(render('{{.Host.Nope}}', INFO), '<no value>')
  t.is(render('{{.}}', 'plain'), 'plain')
  t.is(render('{{.Host.Security}}', INFO), 'map[rootless:true]')
  t.is(render('{{.L}}', {L: ['a', 'b']}), '[a b]')
})

test('json, and pipelines into functions', (t) => {
  t.is(render('{{json .Store}}', INFO), '{"graphRoot":"/g","graphDriverName":"overlay"}')
  t.is(render('{{.Store | json}}', INFO), '{"graphRoot":"/g","graphDriverName":"overlay"}')
  t.is(render('{{json .Host.IDMappings.UIDMap}}', INFO), '[{"container_id":0,"host_id":1000,"size":1}]')
  t.is(render('{{.Host.Kernel | printf "%s!"}}', INFO), '6.1.0!')
  t.is(render('{{upper .S}} {{lower .S}} {{title "hello world"}}', {S: 'MiX'}), 'MIX mix Hello World')
  t.is(render('{{truncate .S 3}}|{{pad .S 1 2}}|', {S: 'abcdef'}), 'abc| abcdef  |')
  t.is(render('{{join .L ","}} {{len .L}} {{index .L 1}}', {L: ['a', 'b']}), 'a,b 2 b')
  t.is(render('{{range split .S ":"}}[{{.}}]{{end}}', {S: 'a:b'}), '[a][b]')
  t.is(render('{{(index .L 0).N}}', {L: [{N: 7}]}), '7')
})

test('if / else if / else, with, and comparisons', (t) => {
  const tpl = '{{if .Rootless}}yes{{else}}no{{end}}'
  t.is(render(tpl, {Rootless: true}), 'yes')
  t.is(render(tpl, {Rootless: false}), 'no')
  const chain = '{{if eq .N 1}}one{{else if eq .N 2 3}}two-or-three{{else}}many{{end}}'
  t.deepEqual([1, 3, 9].map((N) => render(chain, {N})), ['one', 'two-or-three', 'many'])
  t.is(render('{{if and .A (not .B)}}ok{{end}}', {A: 1, B: ''}), 'ok')
  t.is(render('{{if or .A .B}}x{{end}}{{if lt .N 5}}<5{{end}}{{if ge .N 5}}>=5{{end}}', {A: 0, B: [1], N: 3}), 'x<5')
  t.is(render('{{with .Store}}{{.GraphRoot}}{{else}}none{{end}}', INFO), '/g')
  t.is(render('{{with .Missing}}x{{else}}none{{end}}', INFO), 'none')
})

test('range over lists and maps, with variables, and range else', (t) => {
  t.is(render('{{range .Names}}{{.}} {{end}}', {Names: ['a', 'b']}), 'a b ')
  t.is(render('{{range $i, $n := .Names}}{{$i}}={{$n}};{{end}}', {Names: ['a', 'b']}), '0=a;1=b;')
  t.is(render('{{range $k, $v := .M}}{{$k}}:{{$v}} {{end}}', {M: {b: 2, a: 1}}), 'a:1 b:2 ')
  t.is(render('{{range .Names}}x{{else}}empty{{end}}', {Names: []}), 'empty')
  t.is(render('{{$x := .A}}{{range .L}}{{$x}}{{.}}{{end}}', {A: '-', L: [1, 2]}), '-1-2')
  t.is(render('{{range .L}}{{$.A}}{{end}}', {A: 'r', L: [1, 2]}), 'rr')
})

test('trim markers, comments and literals', (t) => {
  t.is(render('a  {{- .X -}}  b', {X: 1}), 'a1b')
  t.is(render('{{/* a comment */}}x', {}), 'x')
  t.is(render('{{"q"}} {{`raw`}} {{1}} {{true}} {{print 1 2 "s" 3}}', {}), 'q raw 1 true 1 2s3')
})

test('printf verbs Podman users write', (t) => {
  t.is(sprintf('%s|%5s|%-5s|%d|%05d|%q|%t|%x|%v|%%', 'a', 'b', 'c', 42, 7, 'q', true, 255, [1, 2]), 'a|    b|c    |42|00007|"q"|true|ff|[1 2]|%')
  t.is(sprintf('%.2f %s', 3.14159), '3.14 %!s(MISSING)')
})

test('errors are one clear line, as a UsageError', (t) => {
  for (const bad of ['{{.A', '{{end}}', '{{if .A}}x', '{{nosuch .A}}', '{{.A | }}', '{{else}}', '{{range .L}}']) {
    const err = t.throws(() => compileTemplate(bad))
    t.is(err!.name, 'UsageError', bad)
    t.false(err!.message.includes('\n'))
    t.regex(err!.message, /^template: output:\d+: /)
  }
  t.throws(() => render('{{index .L 5}}', {L: [1]}), {message: /error calling index: index out of range/})
})

test('Podman format conventions: json, table, escapes, newline per record', (t) => {
  t.true(isJsonFormat(' JSON '))
  t.false(isJsonFormat('{{json .}}'))
  t.deepEqual(normalizeFormat('table {{.ID}}\\t{{.Names}}'), {table: true, source: '{{.ID}}\t{{.Names}}\n'})
  t.deepEqual(normalizeFormat('{{.ID}}'), {table: false, source: '{{.ID}}\n'})
  const rows = [{ID: 'abc', Names: 'first'}, {ID: 'abcdef', Names: 'x'}]
  t.is(renderTable(rows, '{{.ID}}\t{{.Names}}\n', {}), 'ID      NAMES\nabc     first\nabcdef  x\n')
  t.is(renderTable(rows, '{{.ID}}\t{{.Names}}\n', {ID: 'CONTAINER ID'}), 'CONTAINER ID  NAMES\nabc           first\nabcdef        x\n')
  t.is(alignColumns('a\tbb\tc\naaa\tb\tc'), 'a    bb  c\naaa  b   c')
})
