// `diff` output: Podman's "K /path" lines, and its json report (changed, added, deleted; five-space indent).
import test from 'ava'

import {renderChanges} from '../../src/cli/diff-output'
import {UsageError} from '../../src/errors'

const changes = [
  {kind: 'C' as const, path: '/etc'},
  {kind: 'D' as const, path: '/etc/services'},
  {kind: 'A' as const, path: '/new'},
]

test('text: one line per change', (t) => {
  t.is(renderChanges(changes, undefined), 'C /etc\nD /etc/services\nA /new\n')
})

test('json: the paths by kind, empty kinds left out', (t) => {
  t.is(renderChanges(changes, 'json'), '{\n     "changed": [\n          "/etc"\n     ],\n     "added": [\n          "/new"\n     ],\n     "deleted": [\n          "/etc/services"\n     ]\n}\n')
  t.deepEqual(JSON.parse(renderChanges([{kind: 'A', path: '/x'}], 'json')), {added: ['/x']})
})

test('any other format is refused in Podman\'s words', (t) => {
  t.throws(() => renderChanges(changes, '{{.Path}}'), {instanceOf: UsageError, message: "only supported value for '--format' is 'json'"})
})
