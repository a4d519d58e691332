// --sysctl and containers.conf's default_sysctls: Podman's checks, and how they merge into the spec.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {DEFAULT_SYSCTLS, SysctlNamespaces, mergeSysctls, parseSysctls, sysctlsForOuterWriter} from '../../src/specgen/sysctls'

const OWN: SysctlNamespaces = {network: 'own', ipc: 'own', uts: 'own'}

test('namespaced keys and prefixes are taken, the last value of a key wins; the default is ping_group_range for group 0', (t) => {
  const parsed = parseSysctls(['net.ipv4.ping_group_range=0 2000', 'fs.mqueue.msg_max=20', 'kernel.shm_rmid_forced=1', 'net.ipv4.ping_group_range=0 0'])
  t.deepEqual([...parsed], [
    ['net.ipv4.ping_group_range', '0 0'],
    ['fs.mqueue.msg_max', '20'],
    ['kernel.shm_rmid_forced', '1'],
  ])
  t.deepEqual([...parseSysctls(DEFAULT_SYSCTLS)], [['net.ipv4.ping_group_range', '0 0']])
})

test("bad items fail in Podman's words", (t) => {
  for (const [value, message] of [
    ['net.ipv4.ip_forward', 'net.ipv4.ip_forward is invalid, sysctl values must be in the form of KEY=VALUE'],
    ['net.ipv4.ip_forward= 1', "'net.ipv4.ip_forward= 1' is invalid, extra spaces found"],
    ['net.a=1=2', "'net.a=1=2' is invalid, extra spaces found"],
    ['kernel.hostname=x', "sysctl 'kernel.hostname' is not allowed"],
    ['vm.swappiness=1', "sysctl 'vm.swappiness' is not allowed"],
  ] as const)
    t.throws(() => parseSysctls([value]), {instanceOf: UsageError, message}, value)
})

test("--sysctl over the defaults; the defaults of a namespace the container does not own are left out", (t) => {
  const defaults = parseSysctls(['net.ipv4.ping_group_range=0 0', 'fs.mqueue.msg_max=20', 'kernel.shmmni=100'])
  const own = parseSysctls(['net.ipv4.ping_group_range=0 5'])
  t.deepEqual(mergeSysctls(defaults, new Map(), OWN), {'net.ipv4.ping_group_range': '0 0', 'fs.mqueue.msg_max': '20', 'kernel.shmmni': '100'})
  t.deepEqual(mergeSysctls(defaults, own, OWN), {'net.ipv4.ping_group_range': '0 5', 'fs.mqueue.msg_max': '20', 'kernel.shmmni': '100'})
  // --network host, a pod's or another container's network: its owner set them
  for (const network of ['host', 'joined'] as const)
    t.deepEqual(mergeSysctls(defaults, new Map(), {...OWN, network}), {'fs.mqueue.msg_max': '20', 'kernel.shmmni': '100'}, network)
  t.deepEqual(mergeSysctls(defaults, new Map(), {...OWN, ipc: 'joined'}), {'net.ipv4.ping_group_range': '0 0', 'kernel.shmmni': '100'})
  // the user's own for a joined namespace is kept (Podman refuses only the host's)
  t.deepEqual(mergeSysctls(new Map(), own, {...OWN, network: 'joined'}), {'net.ipv4.ping_group_range': '0 5'})
})

test('a ping_group_range naming a gid the container\'s user namespace lacks: a default is left out, the user\'s own refused', (t) => {
  const onlyGid1000 = (gid: number) => gid === 1000
  const defaults = parseSysctls(['net.ipv4.ping_group_range=0 0', 'net.core.somaxconn=5'])
  t.deepEqual(mergeSysctls(defaults, new Map(), OWN, onlyGid1000), {'net.core.somaxconn': '5'})
  t.deepEqual(mergeSysctls(parseSysctls(['net.ipv4.ping_group_range=1000 1000']), new Map(), OWN, onlyGid1000), {'net.ipv4.ping_group_range': '1000 1000'})
  // an empty range is two gids too: the kernel maps both ends
  t.deepEqual(mergeSysctls(parseSysctls(['net.ipv4.ping_group_range=1 0']), new Map(), OWN, onlyGid1000), {})
  t.throws(() => mergeSysctls(defaults, parseSysctls(['net.ipv4.ping_group_range=1000 2000']), OWN, onlyGid1000), {
    instanceOf: UsageError,
    message: "sysctl net.ipv4.ping_group_range=1000 2000 can't be set since the container's user namespace does not map gid 2000: invalid argument",
  })
  // without a user namespace every gid is there
  t.deepEqual(mergeSysctls(defaults, new Map(), OWN), {'net.ipv4.ping_group_range': '0 0', 'net.core.somaxconn': '5'})
})

test('a --sysctl for a namespace of the host is refused', (t) => {
  t.throws(() => mergeSysctls(new Map(), parseSysctls(['net.core.somaxconn=1024']), {...OWN, network: 'host'}), {
    instanceOf: UsageError,
    message: "sysctl net.core.somaxconn=1024 can't be set since Network Namespace set to host: invalid argument",
  })
  t.throws(() => mergeSysctls(new Map(), parseSysctls(['fs.mqueue.msg_max=20']), {...OWN, ipc: 'host'}), {
    instanceOf: UsageError,
    message: "sysctl fs.mqueue.msg_max=20 can't be set since IPC Namespace set to host: invalid argument",
  })
})

test('written from an outer user namespace: ping_group_range as the gids the container\'s map gives them there', (t) => {
  const map = [{containerID: 0, hostID: 1, size: 1000}, {containerID: 1000, hostID: 0, size: 1}]
  t.deepEqual(sysctlsForOuterWriter({'net.ipv4.ping_group_range': '0 0', 'net.core.somaxconn': '5'}, map), {'net.ipv4.ping_group_range': '1 1', 'net.core.somaxconn': '5'})
  t.deepEqual(sysctlsForOuterWriter({'net.ipv4.ping_group_range': '1000 1000'}, map), {'net.ipv4.ping_group_range': '0 0'})
  // an empty range, an unmapped id: as given
  t.deepEqual(sysctlsForOuterWriter({'net.ipv4.ping_group_range': '1 0'}, map), {'net.ipv4.ping_group_range': '1 0'})
  t.deepEqual(sysctlsForOuterWriter({'net.ipv4.ping_group_range': '0 5000'}, map), {'net.ipv4.ping_group_range': '0 5000'})
})
