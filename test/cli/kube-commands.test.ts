import test from 'ava'

import {KubeGenerateCommand, KubePlayCommand} from '../../src/cli/kube-commands'

test('the kube commands\' synopses and flags, as Podman\'s', (t) => {
  t.is(KubeGenerateCommand.usage, '[options] {CONTAINER...|POD...|VOLUME...}')
  t.deepEqual(Object.keys(KubeGenerateCommand.flags).sort(), ['filename', 'service', 'type'])
  t.is(KubePlayCommand.usage, '[options] KUBEFILE|-')
  for (const flag of ['configmap', 'down', 'network', 'publish', 'replace', 'start']) t.true(flag in KubePlayCommand.flags, flag)
})
