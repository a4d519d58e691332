// The template functions' Go semantics: fmt verbs, Sprint spacing, truth, type names, json.
// Compared with Podman 4.3.1: `podman version --format '{{json "<x>"}} {{printf "%5s|%q" "ab" "q\""}}'`
// prints `"<x>"    ab|"q\""`.
import test from 'ava'

import {FUNCTIONS, formatValue, goType, isTrue, json, sprint, sprintf} from '../../../../src/cli/format/go-template/functions'
import {goStruct} from '../../../../src/go-struct'

test('sprintf: widths, flags, %q, %v of slices, %x, precision', (t) => {
  t.is(sprintf('%d|%5s|%-4s|%q|%v|%x|%.2f', [42, 'ab', 'c', 'q"', [1, 'a'], 255, 3.14159]), '42|   ab|c   |"q\\""|[1 a]|ff|3.14')
  t.is(sprintf('%5s|%q', ['ab', 'q"']), '   ab|"q\\""')
})

test('sprint spaces operands only when neither is a string; values print as Go prints them', (t) => {
  t.is(sprint(['a', 1, 2, 'b']), 'a1 2b')
  t.is(formatValue({a: 1, b: 'x'}), 'map[a:1 b:x]')
  t.is(formatValue([1, 2]), '[1 2]')
  t.is(formatValue(null), '<no value>')
})

test('truth as text/template sees it: empty values and zero are false', (t) => {
  t.deepEqual([0, 1, '', 'x', [], [0], {}, {a: 1}, null, false, true].map(isTrue), [false, true, false, true, false, true, false, true, false, false, true])
})

test('Go type names and json without HTML escaping, as containers/common\'s json', (t) => {
  t.deepEqual([1, 1.5, 's', [], {}, null, true].map(goType), ['int', 'float64', 'string', '[]interface {}', 'map[string]interface {}', '<nil>', 'bool'])
  t.is(json({b: 1, a: '<x>'}), '{"b":1,"a":"<x>"}')
})

test('the functions Podman\'s templates offer', (t) => {
  t.deepEqual(Object.keys(FUNCTIONS).sort(), ['and', 'eq', 'ge', 'gt', 'index', 'join', 'json', 'le', 'len', 'lower', 'lt', 'ne', 'not', 'or', 'pad', 'print', 'printf', 'println', 'slice', 'split', 'title', 'truncate', 'upper'])
})

test('a record marked as a Go struct prints its fields in order, as fmt prints a struct', (t) => {
  const binding = goStruct({HostIp: '', HostPort: '8080'})
  // Podman 4.3.1: pod inspect --format '{{.InfraConfig.PortBindings}}' after `pod create -p 8080:80`
  t.is(formatValue({'80/tcp': [binding]}), 'map[80/tcp:[{ 8080}]]')
  t.is(sprintf('%+v|%v', [binding, goStruct({A: null, B: [1, 2]})]), '{HostIp: HostPort:8080}|{<nil> [1 2]}')
  t.true(isTrue(goStruct({})))
  t.is(json(binding), '{"HostIp":"","HostPort":"8080"}')
})
