// parseCapabilities: --cap-add/--cap-drop as containers/common reads them, refused in Podman
// 4.3.1's words (compared with `podman create` as the rootless test user).
import test from 'ava'

import {UsageError} from '../../src/errors'
import {supportedCapabilities} from '../../src/runtime/spec/capabilities'
import {parseCapabilities} from '../../src/specgen/capabilities'

const CAPS = supportedCapabilities(40)

test('names in any case, with or without CAP_, come out upper-cased with the prefix, sorted and once each', (t) => {
  t.deepEqual(parseCapabilities(['net_admin', 'CAP_SYS_ADMIN', 'Cap_Net_Admin'], ['chown'], CAPS), {
    capAdd: ['CAP_NET_ADMIN', 'CAP_SYS_ADMIN'],
    capDrop: ['CAP_CHOWN'],
  })
  t.deepEqual(parseCapabilities([], [], CAPS), {capAdd: [], capDrop: []})
})

test('ALL stays ALL on either side', (t) => {
  t.deepEqual(parseCapabilities(['all'], ['net_raw'], CAPS), {capAdd: ['ALL'], capDrop: ['CAP_NET_RAW']})
  t.deepEqual(parseCapabilities(['net_raw'], ['ALL'], CAPS), {capAdd: ['CAP_NET_RAW'], capDrop: ['ALL']})
})

test('a name the kernel does not know is refused', (t) => {
  t.throws(() => parseCapabilities(['bogus'], [], CAPS), {instanceOf: UsageError, message: '"CAP_BOGUS": unknown capability'})
  t.throws(() => parseCapabilities([], ['bogus'], CAPS), {instanceOf: UsageError, message: '"CAP_BOGUS": unknown capability'})
  // a capability newer than the kernel's last one is unknown to it
  t.throws(() => parseCapabilities(['checkpoint_restore'], [], supportedCapabilities(37)), {message: '"CAP_CHECKPOINT_RESTORE": unknown capability'})
})

test('adding and dropping all, or one capability both ways, is refused', (t) => {
  t.throws(() => parseCapabilities(['all'], ['all'], CAPS), {instanceOf: UsageError, message: 'adding all caps and removing all caps not allowed'})
  t.throws(() => parseCapabilities(['net_admin'], ['CAP_NET_ADMIN'], CAPS), {
    instanceOf: UsageError,
    message: 'capability "CAP_NET_ADMIN" cannot be dropped and added',
  })
})

test('with --cap-drop all or --cap-add all, naming a capability on the other side too is allowed', (t) => {
  t.notThrows(() => parseCapabilities(['net_admin'], ['all', 'net_admin'], CAPS))
  t.notThrows(() => parseCapabilities(['all', 'net_admin'], ['net_admin'], CAPS))
})
