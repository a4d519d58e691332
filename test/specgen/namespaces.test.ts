// --ipc, --uts and --pid as Podman 4.3.1 parses them.
import test from 'ava'

import {defaultNamespaceMode, namespaceModeName, parseNamespaceMode} from '../../src/specgen/namespaces'

test('the defaults are containers.conf\'s: ipc shareable, uts and pid private', (t) => {
  t.deepEqual(parseNamespaceMode('ipc', undefined), {kind: 'shareable'})
  t.deepEqual(parseNamespaceMode('uts', ''), {kind: 'private'})
  t.deepEqual(defaultNamespaceMode('pid'), {kind: 'private'})
})

test('host, own modes per flag, container:X and ns:PATH; inspect names them back', (t) => {
  t.deepEqual(parseNamespaceMode('pid', 'host'), {kind: 'host'})
  t.deepEqual(parseNamespaceMode('ipc', 'none'), {kind: 'none'})
  t.deepEqual(parseNamespaceMode('ipc', 'private'), {kind: 'private'})
  t.deepEqual(parseNamespaceMode('uts', 'container:web'), {kind: 'container', container: 'web'})
  t.deepEqual(parseNamespaceMode('ipc', 'ns:/proc/self/ns/ipc'), {kind: 'ns', path: '/proc/self/ns/ipc'})
  t.is(namespaceModeName({kind: 'container', container: 'abc'}), 'container:abc')
  t.is(namespaceModeName({kind: 'ns', path: '/x'}), 'ns:/x')
  t.is(namespaceModeName({kind: 'shareable'}), 'shareable')
})

test('bad modes are refused in Podman\'s words', (t) => {
  t.throws(() => parseNamespaceMode('uts', 'none'), {message: 'unrecognized namespace mode none passed'})
  t.throws(() => parseNamespaceMode('pid', 'shareable'), {message: 'unrecognized namespace mode shareable passed'})
  t.throws(() => parseNamespaceMode('ipc', 'container:'), {message: 'invalid config provided: namespace mode container requires a value'})
  t.throws(() => parseNamespaceMode('ipc', 'ns:/no/such/ns'), {message: 'cannot find specified IPC namespace path: stat /no/such/ns: no such file or directory'})
})
