// --security-opt as Podman 4.3 parses it, and what tspod does with mask= and unmask=.
import test from 'ava'

import {applyMasks, parseSecurityOpts} from '../../src/specgen/security-opt'

test('the forms tspod honours', (t) => {
  t.deepEqual(parseSecurityOpts(['seccomp=unconfined', 'no-new-privileges', 'label=disable', 'apparmor=unconfined', 'mask=/proc/a:/proc/b', 'unmask=/proc/kcore']), {
    seccomp: 'unconfined',
    noNewPrivileges: true,
    label: 'disable',
    apparmor: 'unconfined',
    mask: ['/proc/a', '/proc/b'],
    unmask: ['/proc/kcore'],
  })
  t.deepEqual(parseSecurityOpts(['seccomp=']), {seccomp: undefined, mask: [], unmask: []}, 'seccomp= is the default profile')
  t.false(parseSecurityOpts(['no-new-privileges=false']).noNewPrivileges)
  t.deepEqual(parseSecurityOpts(['systempaths=unconfined']).unmask, ['ALL'])
})

test('the forms refused, in Podman\'s words where Podman refuses them too', (t) => {
  const refused: [string, string][] = [
    ['seccomp', 'invalid --security-opt 1: "seccomp"'],
    ['bogus=1', 'invalid --security-opt 2: "bogus=1"'],
    ['no-new-privileges=maybe', 'invalid --security-opt 2: "no-new-privileges=maybe"'],
    ['systempaths=x', 'invalid systempaths option "x", only `unconfined` is supported'],
    ['proc-opts=hidepid=2', '--security-opt proc-opts=hidepid=2: proc mount options are not supported by tspod'],
    ['mask=relative', '--security-opt mask=relative: "relative" must be an absolute path'],
  ]
  for (const [opt, message] of refused) t.throws(() => parseSecurityOpts([opt]), {message}, opt)
})

test('mask adds paths, unmask removes them, unmask=ALL removes every default', (t) => {
  const defaults = ['/proc/kcore', '/proc/keys', '/sys/firmware']
  t.deepEqual(applyMasks(defaults, parseSecurityOpts(['unmask=/proc/keys:/sys/firmware']), ['/proc/x']), ['/proc/kcore', '/proc/x'])
  t.deepEqual(applyMasks(defaults, parseSecurityOpts(['unmask=ALL'])), [])
})
