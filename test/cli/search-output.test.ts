// `search`'s output as Podman 4.3.1 writes it: columns, cut descriptions, --compatible,
// --list-tags, JSON and Go templates.
import test from 'ava'

import {searchOutput} from '../../src/cli/search-output'
import type {SearchResult} from '../../src/engine'

const long = 'An image with a description that runs on well past the forty-four bytes Podman shows'
const results: SearchResult[] = [
  {Index: 'quay.io', Name: 'quay.io/team/tool', Description: long, Stars: 0, Official: '', Automated: '', Tag: ''},
  {Index: 'docker.io', Name: 'docker.io/library/alpine', Description: 'A minimal\nimage', Stars: 7956, Official: '[OK]', Automated: '', Tag: ''},
]

test('the default table: NAME and DESCRIPTION, descriptions past 44 bytes cut, newlines as spaces', (t) => {
  t.is(
    searchOutput(results, {}),
    [
      'NAME                      DESCRIPTION',
      'quay.io/team/tool         An image with a description that runs on wel...',
      'docker.io/library/alpine  A minimal image',
      '',
    ].join('\n'),
  )
  t.true(searchOutput(results, {noTrunc: true}).includes(long))
})

test('--compatible adds STARS, OFFICIAL and AUTOMATED', (t) => {
  const lines = searchOutput(results, {compatible: true}).split('\n')
  t.regex(lines[0], /^NAME +DESCRIPTION +STARS +OFFICIAL +AUTOMATED$/)
  t.regex(lines[2], /^docker\.io\/library\/alpine +A minimal image +7956 +\[OK\] *$/)
})

test('--format: a template a row without headers, a table template with them, json whole', (t) => {
  t.is(searchOutput(results, {format: '{{.Index}}|{{.Stars}}|{{.Official}}'}), 'quay.io|0|\ndocker.io|7956|[OK]\n')
  // columns at least 12 wide, as containers/common's report writer makes them
  t.is(searchOutput(results, {format: 'table {{.Index}} {{.Name}}'}), 'INDEX       NAME\nquay.io     quay.io/team/tool\ndocker.io   docker.io/library/alpine\n')
  const json = JSON.parse(searchOutput(results, {format: 'json'})) as SearchResult[]
  t.deepEqual(Object.keys(json[0]), ['Index', 'Name', 'Description', 'Stars', 'Official', 'Automated', 'Tag'])
  t.is(json[0].Description, long, 'JSON keeps descriptions whole')
  t.is(searchOutput(results, {format: 'json'}).split('\n')[1], '    {', 'indented by four spaces')
})

test('--list-tags: NAME and TAG, or in JSON one entry a repository with its tags', (t) => {
  const tags = ['1.0', '1.1'].map((Tag) => ({Index: 'localhost:5000', Name: 'localhost:5000/lp/app', Description: '', Stars: 0, Official: '', Automated: '', Tag}))
  t.is(searchOutput(tags, {listTags: true}), 'NAME                   TAG\nlocalhost:5000/lp/app  1.0\nlocalhost:5000/lp/app  1.1\n')
  t.deepEqual(JSON.parse(searchOutput(tags, {listTags: true, format: 'json'})), [{Name: 'localhost:5000/lp/app', Tags: ['1.0', '1.1']}])
})

test('no results: nothing at all, not even a header', (t) => {
  t.is(searchOutput([], {}), '')
  t.is(searchOutput([], {format: 'json'}), '')
})
