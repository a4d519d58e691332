// `search` against real registries: Debian's docker-registry (no v1 search API: its catalog,
// matched against the term), one with TLS and htpasswd users, a v1 search API served here, tags
// lists, filters, limits and the errors of registries that fail.
import test from 'ava'
import * as http from 'node:http'
import type {AddressInfo} from 'node:net'

import {UsageError} from '../../../src/errors'
import type {RegistriesConfig} from '../../../src/storage/image/config/registries-conf'
import {parseSearchFilters, searchImages} from '../../../src/storage/image/search'
import {busyboxImage} from '../../helpers/oci-image'
import {freePort, startRegistry, withRegistry} from '../../helpers/registry'

const registry = withRegistry(test)

function registries(...search: string[]): RegistriesConfig {
  return {registries: [], unqualifiedSearchRegistries: search, shortNameMode: 'permissive', aliases: new Map(), files: [], configPath: '/etc/containers/registries.conf', configDirPath: '/etc/containers/registries.conf.d'}
}

// pushed once, by the first test that needs the images: the registry runs from test.before on
let pushing: Promise<void> | undefined
function pushed(): Promise<void> {
  pushing ??= (async () => {
    const image = await busyboxImage()
    for (const [repo, tags] of [['lp/testimage', ['20220615', '00000004', 'multiimage']], ['libpod/testimage', ['1']], ['lp/registry', ['2.8']], ['testimage', ['x']]] as const)
      for (const tag of tags) await registry().push(repo, tag, image)
  })()
  return pushing
}

test('filters: stars=N, is-official and is-automated with an optional false; anything else is refused', (t) => {
  t.deepEqual(parseSearchFilters([]), {stars: 0})
  t.deepEqual(parseSearchFilters(['stars=3', 'is-official', 'is-automated=false']), {stars: 3, isOfficial: true, isAutomated: false})
  t.deepEqual(parseSearchFilters(['is-official=false', 'is-automated=yes']), {stars: 0, isOfficial: false, isAutomated: true})
  t.throws(() => parseSearchFilters(['bogus=1']), {instanceOf: UsageError, message: 'invalid filter type "bogus=1"'})
  t.throws(() => parseSearchFilters(['stars=x']), {instanceOf: UsageError, message: 'incorrect value type for stars filter: strconv.Atoi: parsing "x": invalid syntax'})
  t.throws(() => parseSearchFilters(['is-official', 'stars']), {instanceOf: UsageError, message: 'invalid filter ["is-official" "stars"], should be stars=<value>'})
})

test("a registry without a v1 search API: its catalog's names that contain the term, an exact match first", async (t) => {
  await pushed()
  const host = registry().host
  const names = async (term: string, options: {limit?: number; stars?: number} = {}) =>
    (await searchImages(term, {registries: registries(host), tlsVerify: false, limit: options.limit, filter: {stars: options.stars ?? 0}})).map((r) => r.Name)
  t.deepEqual(await names('testimage'), [`${host}/testimage`, `${host}/libpod/testimage`, `${host}/lp/testimage`])
  t.deepEqual(await names('lp'), [`${host}/lp/registry`, `${host}/lp/testimage`])
  // the limit ends the walk through the catalog: an exact match after it is not seen (as containers/image)
  t.deepEqual(await names('testimage', {limit: 2}), [`${host}/libpod/testimage`, `${host}/lp/testimage`])
  t.deepEqual(await names('testimage', {stars: 1}), [], 'a catalog entry has no stars')
  t.deepEqual(await names('nothing-like-it'), [])
  const [first] = await searchImages('testimage', {registries: registries(host), tlsVerify: false})
  t.deepEqual(first, {Index: host, Name: `${host}/testimage`, Description: '', Stars: 0, Official: '', Automated: '', Tag: ''})
})

test('REGISTRY/TERM searches that registry alone; REGISTRY/ lists its whole catalog', async (t) => {
  await pushed()
  const host = registry().host
  const all = await searchImages(`${host}/`, {registries: registries('127.0.0.1:1'), tlsVerify: false})
  t.deepEqual(all.map((r) => r.Name), ['libpod/testimage', 'lp/registry', 'lp/testimage', 'testimage'].map((n) => `${host}/${n}`))
  t.deepEqual((await searchImages(`${host}/registry`, {registries: registries(), tlsVerify: false})).map((r) => r.Name), [`${host}/lp/registry`])
})

test('listTags: the tags of REGISTRY/TERM up to the limit; a repository the registry does not have is an error', async (t) => {
  await pushed()
  const host = registry().host
  const tags = await searchImages(`${host}/lp/testimage`, {registries: registries(), tlsVerify: false, listTags: true})
  t.deepEqual(tags.map((r) => [r.Index, r.Name, r.Tag]).sort(), [
    [host, `${host}/lp/testimage`, '00000004'],
    [host, `${host}/lp/testimage`, '20220615'],
    [host, `${host}/lp/testimage`, 'multiimage'],
  ])
  t.is((await searchImages(`${host}/lp/testimage:20220615`, {registries: registries(), tlsVerify: false, listTags: true, limit: 2})).length, 2)
  await t.throwsAsync(searchImages('nosuch', {registries: registries(host), tlsVerify: false, listTags: true}), {
    message: '1 error occurred: getting repository tags: fetching tags list: invalid status code from registry 404 (Not Found)',
  })
  await t.throwsAsync(searchImages(`${host}/UPPER`, {registries: registries(), tlsVerify: false, listTags: true}), {message: '1 error occurred: reference "UPPER" must be a docker reference'})
})

test('a registry that cannot be reached is one error on one line; one that answers is enough', async (t) => {
  await pushed()
  const port = await freePort()
  const down = `127.0.0.1:${port}`
  await t.throwsAsync(searchImages(`${down}/x`, {registries: registries()}), {
    message: `1 error occurred: couldn't search registry "${down}": pinging container registry ${down}: Get "https://${down}/v2/": dial tcp ${down}: connect: connection refused`,
  })
  // registries.conf's insecure entry, not --tls-verify=false: the registry that is down is tried over https alone
  const config = registries(down, registry().host)
  config.registries.push({location: registry().host, insecure: true, prefix: registry().host, blocked: false, mirrorByDigestOnly: false, mirrors: []})
  const found = await searchImages('registry', {registries: config})
  t.deepEqual(found.map((r) => r.Name), [`${registry().host}/lp/registry`])
})

test('a registry with htpasswd users over TLS: the credentials given are used; without them it refuses', async (t) => {
  await pushed()
  const user = {username: 'searcher', password: 's3arch-pass'}
  const secure = await startRegistry({tls: true, auth: user})
  t.teardown(() => secure.stop())
  const found = await searchImages(`${secure.host}/`, {registries: registries(), certDir: secure.certDir, credentials: user})
  t.deepEqual(found, [], 'an empty catalog, read with the credentials')
  await t.throwsAsync(searchImages(`${secure.host}/team/app`, {registries: registries(), certDir: secure.certDir, credentials: user, listTags: true}), {
    message: '1 error occurred: getting repository tags: fetching tags list: invalid status code from registry 404 (Not Found)',
  })
  const refused = await t.throwsAsync(searchImages(`${secure.host}/app`, {registries: registries(), certDir: secure.certDir}))
  t.regex(refused!.message, new RegExp(`^1 error occurred: couldn't search registry "${secure.host}": .*(401|unauthorized)`, 'i'))
})

test('a registry with the v1 search API: its descriptions, stars, official and automated marks, and filters', async (t) => {
  const queries: string[] = []
  const server = http.createServer((req, res) => {
    queries.push(req.url ?? '')
    if (req.url === '/v2/') {
      res.writeHead(200, {'Content-Type': 'application/json'}).end('{}')
    } else if (req.url?.startsWith('/v1/search?')) {
      const results = [
        {name: 'library-less', description: 'line one\nline two', star_count: 12, is_official: true, is_automated: false},
        {name: 'team/tool', description: '', star_count: 2, is_official: false, is_automated: true},
      ]
      res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({num_results: 2, query: 'x', results}))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
  const all = await searchImages(`${host}/tool`, {registries: registries(), tlsVerify: false, limit: 7})
  t.true(queries.includes('/v1/search?n=7&q=tool'), queries.join(' '))
  t.deepEqual(all, [
    {Index: host, Name: `${host}/library-less`, Description: 'line one line two', Stars: 12, Official: '[OK]', Automated: '', Tag: ''},
    {Index: host, Name: `${host}/team/tool`, Description: '', Stars: 2, Official: '', Automated: '[OK]', Tag: ''},
  ])
  const search = (filters: string[]) => searchImages(`${host}/tool`, {registries: registries(), tlsVerify: false, filter: parseSearchFilters(filters)}).then((r) => r.map((x) => x.Name))
  t.deepEqual(await search(['stars=3']), [`${host}/library-less`])
  t.deepEqual(await search(['is-official=false']), [`${host}/team/tool`])
  t.deepEqual(await search(['is-automated']), [`${host}/team/tool`])
})
