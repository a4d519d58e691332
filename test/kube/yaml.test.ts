import test from 'ava'

import {parseDocuments, toYaml} from '../../src/kube/yaml'

test('toYaml writes as Go\'s yaml: sorted keys, unindented sequences, YAML 1.1 quoting, no anchors', (t) => {
  const shared = {a: 1}
  t.is(toYaml({b: ['x', 'y'], a: {t: 'false', u: 'FALSE', n: '1', when: '2026-01-01T00:00:00Z'}, c: shared, d: shared}), 'a:\n  "n": "1"\n  t: "false"\n  u: "FALSE"\n  when: "2026-01-01T00:00:00Z"\nb:\n- x\n- "y"\nc:\n  a: 1\nd:\n  a: 1\n')
})

test('parseDocuments: every non-empty document; a syntax error is one line', (t) => {
  t.deepEqual(parseDocuments('a: 1\n---\n---\nb: [2]\n'), [{a: 1}, {b: [2]}])
  t.throws(() => parseDocuments('a: [b'), {message: /^multi doc yaml could not be split: [^\n]+$/})
})
