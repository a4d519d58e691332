// Typed reads of JSON documents, failing with one line that names the document and the field.
import test from 'ava'

import {TspodError} from '../../../../src/errors'
import {JsonFields, isObject} from '../../../../src/storage/image/manifest/json-fields'

const f = new JsonFields('test document')
const digest = `sha256:${'a'.repeat(64)}`

test('values of the right type come back as they are', (t) => {
  t.deepEqual(f.parse('{"a":1}'), {a: 1})
  t.deepEqual(f.parse(Buffer.from('{}')), {})
  t.is(f.string('x', 'f'), 'x')
  t.is(f.nonEmptyString('x', 'f'), 'x')
  t.is(f.size(0, 'f'), 0)
  t.is(f.digest(digest, 'f'), digest)
  t.is(f.boolean(false, 'f'), false)
  t.deepEqual(f.stringArray(['a', 'b'], 'f'), ['a', 'b'])
  t.deepEqual(f.stringMap({k: 'v'}, 'f'), {k: 'v'})
  t.deepEqual(f.optionalKeySet({'80/tcp': {}, '53/udp': null}, 'f'), {'80/tcp': {}, '53/udp': {}})
})

test('optional fields: absent and JSON null are undefined', (t) => {
  const reads: ((value: unknown) => unknown)[] = [
    (v) => f.optionalString(v, 'f'),
    (v) => f.optionalObject(v, 'f'),
    (v) => f.optionalArray(v, 'f'),
    (v) => f.optionalBoolean(v, 'f'),
    (v) => f.optionalStringArray(v, 'f'),
    (v) => f.optionalStringMap(v, 'f'),
    (v) => f.optionalKeySet(v, 'f'),
  ]
  for (const read of reads) {
    t.is(read(undefined), undefined)
    t.is(read(null), undefined)
  }
})

test('errors name the document and the field', (t) => {
  const cases: [() => unknown, string][] = [
    [() => f.parse('[1]'), 'invalid test document: not a JSON object'],
    [() => f.object([], 'config'), 'invalid test document: "config" must be an object'],
    [() => f.string(1, 'a.b'), 'invalid test document: "a.b" must be a string'],
    [() => f.nonEmptyString('', 'mediaType'), 'invalid test document: "mediaType" must not be empty'],
    [() => f.size(-1, 'layers[1].size'), 'invalid test document: "layers[1].size" must be a non-negative integer'],
    [() => f.size(1.5, 's'), 'invalid test document: "s" must be a non-negative integer'],
    [() => f.digest('sha256:x', 'd'), 'invalid test document: "d" must be a digest ("sha256:<64 hex digits>"), got "sha256:x"'],
    [() => f.boolean('true', 'b'), 'invalid test document: "b" must be true or false'],
    [() => f.stringArray(['a', 2], 'cmd'), 'invalid test document: "cmd[1]" must be a string'],
    [() => f.stringMap({k: 1}, 'labels'), 'invalid test document: "labels.k" must be a string'],
    [() => f.optionalKeySet({'80/tcp': 1}, 'ports'), 'invalid test document: "ports.80/tcp" must be an object'],
  ]
  for (const [read, message] of cases) t.throws(read, {instanceOf: TspodError, message})
  t.throws(() => f.parse('{'), {instanceOf: TspodError, message: /^invalid test document: /})
})

test('isObject: plain objects only', (t) => {
  t.true(isObject({}))
  t.false(isObject([]))
  t.false(isObject(null))
  t.false(isObject('x'))
})
