// Capabilities: Podman's default set, --cap-add/--cap-drop, root versus other users, and the
// bounding set of the tspod process.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../../src/errors'
import {
  CAPABILITY_NAMES,
  capabilitiesFromMask,
  isRootUserSpec,
  mergeCapabilities,
  normalizeCapabilities,
  processCapabilities,
  readBoundingSet,
  readEffectiveSet,
  supportedCapabilities,
} from '../../../src/runtime/spec/capabilities'
import {DEFAULT_CAPABILITIES} from '../../../src/runtime/spec/defaults'

const supported = supportedCapabilities(40)
const host = {supported, bounding: supported}
const DEFAULTS = [...DEFAULT_CAPABILITIES]

function tempFile(t: {teardown: (fn: () => void) => void}, name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-caps-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, name), content)
  return path.join(dir, name)
}

test("the default set is containers.conf's default_capabilities", (t) => {
  t.deepEqual(DEFAULTS, [
    'CAP_CHOWN',
    'CAP_DAC_OVERRIDE',
    'CAP_FOWNER',
    'CAP_FSETID',
    'CAP_KILL',
    'CAP_NET_BIND_SERVICE',
    'CAP_SETFCAP',
    'CAP_SETGID',
    'CAP_SETPCAP',
    'CAP_SETUID',
    'CAP_SYS_CHROOT',
  ])
  t.is(CAPABILITY_NAMES[21], 'CAP_SYS_ADMIN')
  t.is(CAPABILITY_NAMES.length, 41)
  t.deepEqual(supportedCapabilities(37).includes('CAP_BPF'), false)
})

test('names: any case, with or without CAP_; unknown ones fail in Podman words', (t) => {
  t.deepEqual(normalizeCapabilities(['net_admin', 'CAP_sys_time', 'Chown', 'all'], supported), ['ALL', 'CAP_CHOWN', 'CAP_NET_ADMIN', 'CAP_SYS_TIME'])
  t.throws(() => normalizeCapabilities(['NET_FLY'], supported), {instanceOf: UsageError, message: '"CAP_NET_FLY": unknown capability'})
  t.throws(() => normalizeCapabilities(['bpf'], supportedCapabilities(37)), {message: '"CAP_BPF": unknown capability'})
})

test('--cap-add and --cap-drop change the default set; ALL works both ways', (t) => {
  t.deepEqual(mergeCapabilities(DEFAULTS, [], [], host), DEFAULTS)
  const added = mergeCapabilities(DEFAULTS, ['net_admin', 'sys_ptrace'], ['chown', 'CAP_KILL'], host)
  t.true(added.includes('CAP_NET_ADMIN') && added.includes('CAP_SYS_PTRACE'))
  t.false(added.includes('CAP_CHOWN') || added.includes('CAP_KILL'))
  t.deepEqual(added, [...added].sort())
  t.deepEqual(mergeCapabilities(DEFAULTS, ['ALL'], [], host), supported)
  t.deepEqual(mergeCapabilities(DEFAULTS, ['ALL'], ['sys_admin'], host), supported.filter((c) => c !== 'CAP_SYS_ADMIN'))
  t.deepEqual(mergeCapabilities(DEFAULTS, ['chown'], ['all'], host), ['CAP_CHOWN'])
  t.deepEqual(mergeCapabilities(DEFAULTS, [], ['ALL'], host), [])
  t.throws(() => mergeCapabilities(DEFAULTS, ['all'], ['ALL'], host), {message: 'adding all caps and removing all caps not allowed'})
  t.throws(() => mergeCapabilities(DEFAULTS, ['net_admin'], ['NET_ADMIN'], host), {message: 'capability "CAP_NET_ADMIN" cannot be dropped and added'})
})

test('root holds the set; another user holds only --cap-add, also as ambient and inheritable', (t) => {
  const root = processCapabilities({defaults: DEFAULTS, user: '', host, capAdd: ['net_raw']})
  const withRaw = [...DEFAULTS, 'CAP_NET_RAW'].sort()
  t.deepEqual(root, {bounding: withRaw, effective: withRaw, permitted: withRaw, inheritable: [], ambient: []})
  t.deepEqual(processCapabilities({defaults: DEFAULTS, user: 'root:wheel', host}).effective, DEFAULTS)
  t.deepEqual(processCapabilities({defaults: DEFAULTS, user: '0', host}).effective, DEFAULTS)

  const plain = processCapabilities({defaults: DEFAULTS, user: '1234', host})
  t.deepEqual(plain, {bounding: DEFAULTS, effective: [], permitted: [], inheritable: [], ambient: []})
  const added = processCapabilities({defaults: DEFAULTS, user: 'user', host, capAdd: ['net_bind_service']})
  t.deepEqual(added, {
    bounding: DEFAULTS,
    effective: ['CAP_NET_BIND_SERVICE'],
    permitted: ['CAP_NET_BIND_SERVICE'],
    inheritable: ['CAP_NET_BIND_SERVICE'],
    ambient: ['CAP_NET_BIND_SERVICE'],
  })
  t.true(isRootUserSpec('root') && isRootUserSpec('') && !isRootUserSpec('toor'))
})

test("capabilities outside tspod's own bounding set are left out", (t) => {
  const bounding = supported.filter((c) => c !== 'CAP_SYS_ADMIN' && c !== 'CAP_SETFCAP')
  const caps = processCapabilities({defaults: DEFAULTS, user: '', host: {supported, bounding}, capAdd: ['sys_admin']})
  t.false(caps.bounding!.includes('CAP_SYS_ADMIN'))
  t.false(caps.bounding!.includes('CAP_SETFCAP'))
})

test('the bounding and effective sets are read from /proc/self/status', (t) => {
  t.deepEqual(capabilitiesFromMask('0000000000000003', supported), ['CAP_CHOWN', 'CAP_DAC_OVERRIDE'])
  t.deepEqual(capabilitiesFromMask('000001ffffffffff', supported), supported)
  const status = tempFile(t, 'status', 'Name:\tnode\nCapEff:\t0000000001000001\nCapBnd:\t00000000a80425fb\n')
  t.deepEqual(readEffectiveSet(supported, status), ['CAP_CHOWN', 'CAP_SYS_RESOURCE'])
  t.deepEqual(readBoundingSet(supported, status), [
    'CAP_AUDIT_WRITE',
    'CAP_CHOWN',
    'CAP_DAC_OVERRIDE',
    'CAP_FOWNER',
    'CAP_FSETID',
    'CAP_KILL',
    'CAP_MKNOD',
    'CAP_NET_BIND_SERVICE',
    'CAP_NET_RAW',
    'CAP_SETFCAP',
    'CAP_SETGID',
    'CAP_SETPCAP',
    'CAP_SETUID',
    'CAP_SYS_CHROOT',
  ])
  const own = readBoundingSet(supportedCapabilities())
  t.true(own.includes('CAP_CHOWN'))
})
