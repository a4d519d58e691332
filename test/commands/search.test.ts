// `search` and `image search` as the rootless user against Debian's docker-registry (no v1
// search API): Podman's table, --list-tags, --limit, --format, and its errors with exit 125.
import test from 'ava'

import {registrySandbox} from '../helpers/image-sandbox'
import {busyboxImage} from '../helpers/oci-image'
import {freePort, withRegistry} from '../helpers/registry'
import {removeTree, tspod} from '../helpers/rootless'

const registry = withRegistry(test)

test('search: the catalog matched against the term, tags, templates, and the errors of bad input', async (t) => {
  const host = registry().host
  const image = await busyboxImage()
  for (const [repo, tag] of [['lp/testimage', '20220615'], ['lp/testimage', 'multiimage'], ['libpod/testimage', '1'], ['lp/registry', '2.8']]) await registry().push(repo, tag, image)
  const box = registrySandbox(host)
  t.teardown(() => removeTree(box.dir))
  const ok = async (args: string[]) => {
    const r = await tspod(box, args)
    t.is(r.code, 0, r.stderr)
    return r.stdout
  }

  const pad = (name: string) => name.padEnd(`${host}/libpod/testimage`.length + 2)
  t.is(await ok(['search', 'testimage']), `${pad('NAME')}DESCRIPTION\n${pad(`${host}/libpod/testimage`)}\n${pad(`${host}/lp/testimage`)}\n`)
  t.is(await ok(['image', 'search', '--limit', '1', '--format', '{{.Name}}|{{.Index}}|{{.Stars}}', 'testimage']), `${host}/libpod/testimage|${host}|0\n`)
  t.is(await ok(['search', '--format', '{{.Name}}', `${host}/`]), ['libpod/testimage', 'lp/registry', 'lp/testimage'].map((n) => `${host}/${n}\n`).join(''))
  t.is(await ok(['search', 'nothing-matches']), '')

  const tags = await ok(['search', '--list-tags', `${host}/lp/testimage`])
  const [header, ...rows] = tags.trimEnd().split('\n').map((l) => l.split(/ +/))
  t.deepEqual(header, ['NAME', 'TAG'])
  t.deepEqual(rows.sort(), [[`${host}/lp/testimage`, '20220615'], [`${host}/lp/testimage`, 'multiimage']])
  const json = JSON.parse(await ok(['search', '--list-tags', '--limit', '1', '--format', 'json', `${host}/lp/testimage`])) as {Name: string; Tags: string[]}[]
  t.is(json.length, 1)
  t.is(json[0].Name, `${host}/lp/testimage`)
  t.is(json[0].Tags.length, 1)

  const refused = async (args: string[], message: string) => {
    const r = await tspod(box, args)
    t.is(r.code, 125, args.join(' '))
    t.is(r.stderr.trim(), message)
    t.is(r.stdout, '')
  }
  await refused(['search', '--filter', 'bogus=1', 'x'], 'Error: invalid filter type "bogus=1"')
  await refused(['search', '--filter', 'stars=many', 'x'], 'Error: incorrect value type for stars filter: strconv.Atoi: parsing "many": invalid syntax')
  await refused(['search', '--list-tags', '-f', 'stars=1', 'x'], 'Error: filters are not applicable to list tags result')
  await refused(['search', '--authfile', `${box.dir}/no-such-auth.json`, 'x'], `Error: stat ${box.dir}/no-such-auth.json: no such file or directory`)
  await refused(['search'], 'Error: accepts 1 arg(s), received 0')
  await refused(['search', '--list-tags', 'testimage'], 'Error: 1 error occurred: getting repository tags: fetching tags list: invalid status code from registry 404 (Not Found)')
  const down = `127.0.0.1:${await freePort()}`
  await refused(['search', `${down}/x`], `Error: 1 error occurred: couldn't search registry "${down}": pinging container registry ${down}: Get "https://${down}/v2/": dial tcp ${down}: connect: connection refused`)
})
