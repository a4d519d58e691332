// Completing a --format Go template as Podman's AutocompleteFormat: json, then the fields and
// methods of the output type after `{{.`, followed through structs and maps.
import test from 'ava'

import {DIRECTIVE} from '../../../src/cli/completion/directive'
import {type GoType, completeFormat} from '../../../src/cli/completion/format-fields'

const TIME: GoType = {methods: ['Add/1', 'AddDate/3', 'Day', 'UTC.']}
const INNER: GoType = {methods: ['Short'], fields: ['ID', 'Name', {name: 'Created', struct: TIME}, {name: 'Labels', map: 'value'}]}
const REPORT: GoType = {methods: ['ID', 'Size'], fields: ['Extra', {name: 'Inner', struct: INNER, embedded: true}, {name: 'Size', struct: {fields: ['Rw']}}]}
const both = DIRECTIVE.noSpace | DIRECTIVE.noFileComp
const names = (text: string, type: GoType | undefined = REPORT) => completeFormat(type, text).candidates.map((c) => c.name)

test('json while what is typed may still become it; nothing without a {{', (t) => {
  for (const text of ['', 'j', 'json']) t.deepEqual(completeFormat(REPORT, text), {candidates: [{name: 'json'}], directive: DIRECTIVE.noFileComp})
  t.deepEqual(completeFormat(REPORT, 'table'), {candidates: [], directive: DIRECTIVE.noFileComp})
  t.deepEqual(completeFormat(undefined, '{{.'), {candidates: [], directive: DIRECTIVE.noFileComp}, 'no output type known')
})

test('methods, then fields, then the fields of an embedded struct not there yet; a struct or map ends with a dot', (t) => {
  t.deepEqual(names('{{.'), ['{{.ID}}', '{{.Size}}', '{{.Extra}}', '{{.Inner.', '{{.Size.', '{{.Short}}', '{{.Name}}', '{{.Created.', '{{.Labels.'])
  t.is(completeFormat(REPORT, '{{.').directive, both)
  t.deepEqual(names('{{.S'), ['{{.Size}}', '{{.Size.', '{{.Short}}'])
  t.deepEqual(names('table {{.ID}}\t{{.N'), ['table {{.ID}}\t{{.Name}}'])
  t.deepEqual(names('{{ .ID }} {{.E'), ['{{ .ID }} {{.Extra}}'])
})

test('followed through struct fields, an embedded one\'s too; a method that takes arguments says so', (t) => {
  t.deepEqual(names('{{.Size.'), ['{{.Size.Rw}}'], 'the field, though a method has its name')
  t.deepEqual(completeFormat(REPORT, '{{.Created.A'), {
    candidates: [
      {name: '{{.Created.Add', description: 'This is a function and requires 1 argument'},
      {name: '{{.Created.AddDate', description: 'This is a function and requires 3 arguments'},
    ],
    directive: both,
  })
  t.deepEqual(names('{{.Inner.Created.U'), ['{{.Inner.Created.UTC.'])
})

test('a map, a value or no such field: nothing more, and where Podman stops, without NoSpace', (t) => {
  t.deepEqual(completeFormat(REPORT, '{{.Labels.'), {candidates: [], directive: both})
  t.deepEqual(completeFormat(REPORT, '{{.Labels.key.'), {candidates: [], directive: both})
  t.deepEqual(completeFormat(REPORT, '{{.Labels.key.x.'), {candidates: [], directive: DIRECTIVE.noFileComp})
  t.deepEqual(completeFormat(REPORT, '{{.Extra.'), {candidates: [], directive: both})
  t.deepEqual(completeFormat(REPORT, '{{.Extra.x.'), {candidates: [], directive: DIRECTIVE.noFileComp})
  t.deepEqual(completeFormat(REPORT, '{{.Nope.'), {candidates: [], directive: both})
  t.deepEqual(completeFormat(REPORT, '{{.Created.UTC.'), {candidates: [], directive: both}, 'a method is not followed')
})
