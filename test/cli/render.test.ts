// Output of records and lists: Podman's 4-space JSON, Go templates, and `table` templates.
import test from 'ava'

import {renderInspect, renderList, renderRecord, toJson, toYaml} from '../../src/cli/render'

const list = {table: 'table {{.Name}}\t{{.Size}}', headers: {Name: 'NAME', Size: 'SIZE'}}
const rows = [
  {Name: 'a', Size: '1 kB'},
  {Name: 'longer-name', Size: '20 MB'},
]

test('JSON indented by four spaces with a final newline; YAML for info-like records', (t) => {
  t.is(toJson({a: [1]}), '{\n    "a": [\n        1\n    ]\n}\n')
  t.is(toYaml({a: 1, b: ['x']}), 'a: 1\nb:\n  - x\n')
})

test('a record: json, or a Go template', (t) => {
  t.is(renderRecord({Host: {Kernel: '6.1'}}, 'json'), '{\n    "Host": {\n        "Kernel": "6.1"\n    }\n}\n')
  t.is(renderRecord({Host: {Kernel: '6.1'}}, '{{.Host.Kernel}}'), '6.1\n', 'a newline is added, as Podman does')
})

test('a list: the default table padded to 12 columns, a row template, json of the records, no heading', (t) => {
  t.is(renderList([], rows, undefined, list), 'NAME         SIZE\na            1 kB\nlonger-name  20 MB\n')
  t.is(renderList([], rows, undefined, list, true), 'a            1 kB\nlonger-name  20 MB\n')
  t.is(renderList([], rows, '{{.Name}}\n', list), 'a\nlonger-name\n')
  t.is(renderList([{id: 1}], rows, 'json', list), '[\n    {\n        "id": 1\n    }\n]\n')
})

test('inspect: a JSON array, or each record through the template', (t) => {
  t.is(renderInspect([{Id: 'x'}], undefined), '[\n    {\n        "Id": "x"\n    }\n]\n')
  t.is(renderInspect([{Id: 'x'}, {Id: 'y'}], '{{.Id}}\n'), 'x\ny\n')
})
