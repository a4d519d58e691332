// A pod's units against Podman 4.3.1's own text for the same pod (podman-4.3.1/): the pod's unit
// wants its containers' units, each bound to it (and to the containers it needs).
import test from 'ava'

import {podUnits} from '../../src/systemd/pod-units'
import {OPTIONS, P3, PN, environment, podmanUnit} from './fixtures'

test('an existing pod: its infra container\'s forking unit, and each container\'s bound to it', (t) => {
  const units = podUnits(PN, {...OPTIONS, name: true}, environment())
  t.deepEqual([...units.keys()], ['pod-pn', 'container-pc1', 'container-pc2'])
  for (const [name, text] of units) t.is(text, podmanUnit('pn', name), name)
})

test('--new: the pod created from its create command, its containers run into it by the pod id file', (t) => {
  const units = podUnits(PN, {...OPTIONS, name: true, new: true}, environment())
  for (const [name, text] of units) t.is(text, podmanUnit('pn-new', name), name)
})

test('--new keeps the global flags the pod was created with, on each command', (t) => {
  const units = podUnits(P3, {...OPTIONS, name: true, new: true}, environment())
  t.deepEqual([...units.keys()], ['pod-p3'])
  t.is(units.get('pod-p3'), podmanUnit('p3-new', 'pod-p3'))
})

test('--restart-sec and --pod-prefix shape the pod\'s unit', (t) => {
  const text = podUnits(PN, {...OPTIONS, name: true, restartSec: 3, podPrefix: ''}, environment()).get('pn')!
  t.true(text.startsWith('# pn.service\n'))
  t.true(text.includes('\nRestart=on-failure\nRestartSec=3\nTimeoutStopSec=70\n'))
})

test('an --exit-policy of the pod\'s is kept, none added', (t) => {
  const pod = {...P3, createCommand: ['podman', 'pod', 'create', '--exit-policy=continue', '--name', 'p3', '--replace']}
  const text = podUnits(pod, {...OPTIONS, name: true, new: true}, environment()).get('pod-p3')!
  t.true(text.includes('\t--pod-id-file %t/pod-p3.pod-id \\\n\t--exit-policy=continue \\\n\t--name p3 \\\n\t--replace\nExecStart='))
})

test('refused as Podman: --template, no infra container, --new without a pod create command', (t) => {
  t.throws(() => podUnits(PN, {...OPTIONS, template: true, new: true}, environment()), {message: '--template is not supported for pods'})
  t.throws(() => podUnits({...PN, infra: undefined}, OPTIONS, environment()), {message: 'generating systemd unit files: Pod "pn" has no infra container'})
  t.throws(() => podUnits({...PN, createCommand: undefined}, {...OPTIONS, new: true}, environment()), {message: `cannot use --new on pod "${PN.id}": no create command found`})
  t.throws(() => podUnits({...PN, createCommand: ['podman', 'run', '--pod', 'new:pn', 'img']}, {...OPTIONS, new: true}, environment()), {
    message: 'pod does not appear to be created via `podman pod create`: [podman run --pod new:pn img]',
  })
})
