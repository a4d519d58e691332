// `network ls --filter` and `network prune --filter` as containers/common applies them.
import test from 'ava'

import type {Network} from '../../../../src/runtime/network/netavark/config'
import {filterNetworks, parseNetworkFilters} from '../../../../src/runtime/network/netavark/filter'

const net = (name: string, labels: Record<string, string> = {}, created = '2026-01-01T00:00:00Z'): Network => ({
  name,
  id: `${name}`.padEnd(64, '0'),
  driver: 'bridge',
  created,
  ipv6_enabled: false,
  internal: false,
  dns_enabled: true,
  labels,
})

const networks = [net('podman'), net('front', {tier: 'web'}), net('back', {tier: 'db', keep: '1'}, '2026-06-01T00:00:00Z')]
const names = (specs: string[], inUse: string[] = []) => filterNetworks(networks, parseNetworkFilters(specs), (n) => inUse.includes(n)).map((n) => n.name)

test('values of one key are alternatives, different keys must all match; names and ids are regexps', (t) => {
  t.deepEqual(names(['name=front', 'name=back']), ['front', 'back'])
  t.deepEqual(names(['name=^b', 'label=tier']), ['back'])
  t.deepEqual(names(['id=^front']), ['front'])
  t.deepEqual(names(['label=tier=web']), ['front'])
  t.deepEqual(names(['label!=tier']), ['podman'])
  t.deepEqual(names(['driver=macvlan']), [])
  t.deepEqual(names(['until=2026-03-01T00:00:00Z']), ['podman', 'front'])
  t.deepEqual(names(['dangling=true'], ['front']), ['podman', 'back'])
  t.deepEqual(names(['dangling=0'], ['front']), ['front'])
  t.true(parseNetworkFilters(['dangling=1']).needsUsage)
})

test('prune takes only label, label! and until; bad keys, values and regexps are usage errors', (t) => {
  t.notThrows(() => parseNetworkFilters(['label=a', 'until=1h'], {prune: true}))
  t.throws(() => parseNetworkFilters(['name=a'], {prune: true}), {message: 'invalid filter "name"'})
  t.throws(() => parseNetworkFilters(['color=red']), {message: 'invalid filter "color"'})
  t.throws(() => parseNetworkFilters(['dangling=maybe']), {message: 'invalid dangling filter value "maybe"'})
  t.throws(() => names(['name=(']), {message: 'invalid filter regex "("'})
})
