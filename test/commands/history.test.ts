// `image history` as the rootless user: Podman's table, --human, --no-trunc, --quiet and formats.
import test from 'ava'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {tspod} from '../helpers/rootless'

test('history: the table, --human=false, -q, --no-trunc, json and the template fields of Podman', async (t) => {
  const box = await sandboxWithImages(t)
  const run = async (args: string[]) => {
    const r = await tspod(box, ['history', ...args, 'multi'])
    t.is(r.code, 0, r.stderr)
    return r.stdout
  }
  const table = (await run([])).split('\n')
  t.regex(table[0], /^ID +CREATED +CREATED BY +SIZE +COMMENT$/)
  t.regex(table[1], /^[0-9a-f]{12} +\S.* ago +.* (B|kB|MB) /)
  const rows = table.length - 2

  const exact = (await run(['--human=false'])).split('\n')
  t.regex(exact[1], /^[0-9a-f]{12} +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +/)
  t.regex(exact[1], / (B|kB|MB) /, 'sizes stay human-readable, as Podman prints them')

  const quiet = (await run(['-qH'])).trimEnd().split('\n')
  t.is(quiet.length, rows)
  t.regex(quiet[0], /^[0-9a-f]{12}$/)
  t.true(quiet.slice(1).every((id) => id === '<missing>'))
  t.regex(await run(['--no-trunc', '-q']), /^[0-9a-f]{64}\n/)

  const json = JSON.parse(await run(['--format', 'json'])) as Record<string, unknown>[]
  t.is(json.length, rows)
  t.regex(json[0].id as string, /^[0-9a-f]{64}$/)
  for (const layer of json) {
    t.regex(layer.created as string, /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/)
    t.regex(layer.Created as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    t.is(typeof layer.size, 'number')
  }
  t.deepEqual(JSON.parse(await run(['--format', '{{json .}}'])), json)

  const fields = (await run(['--format', '{{.ID}}\\t{{.CreatedSince}}--{{.CreatedAt}}'])).split('\n')[0]
  t.regex(fields, /^[0-9a-f]{12}\t.* ago--\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/)
})
