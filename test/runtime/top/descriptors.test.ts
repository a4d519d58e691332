// `top` descriptors (the columns) and capability sets, in psgo's names and words.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {capabilitySet, listDescriptors, resolveDescriptors} from '../../../src/runtime/top/descriptors'

test('capability sets as psgo prints them', (t) => {
  t.is(capabilitySet('000001ffffffffff'), 'full')
  t.is(capabilitySet('0000000000000000'), 'none')
  t.is(capabilitySet('00000000800405fb'), 'CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT')
})

test('descriptors: names, codes, comma lists, the default set; unknown ones in psgo\'s words', (t) => {
  t.deepEqual(resolveDescriptors(undefined).map((d) => d.header), ['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND'])
  t.deepEqual(resolveDescriptors([]).length, 8)
  t.deepEqual(resolveDescriptors(['pid,comm', '%U', 'args', 'uid']).map((d) => d.header), ['PID', 'COMMAND', 'USER', 'COMMAND', 'UID'])
  t.throws(() => resolveDescriptors(['pid', 'bogus']), {instanceOf: UsageError, message: "'bogus': unknown descriptor"})
  t.true(listDescriptors().includes('huser'))
  t.is(listDescriptors().length, 32)
})
