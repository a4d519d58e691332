import test from 'ava'

import {kindOf, readConfigMap, readPod} from '../../src/kube/read'

test('readPod: fields typed, unknown fields ignored, known unsupported ones named', (t) => {
  const pod = readPod({metadata: {name: 'p', labels: {a: 'b'}}, spec: {containers: [{name: 'c', image: 'i', env: [{name: 'N', value: 3}], bogus: 1}]}})
  t.is(pod.metadata.name, 'p')
  t.deepEqual(pod.spec.containers[0].env, [{name: 'N', value: '3'}])
  t.throws(() => readPod({spec: {containers: [{name: 'c'}]}}), {message: 'spec.containers[0].image: is required'})
  t.throws(() => readPod({spec: {containers: [{name: 'c', image: 'i', stdin: 'yes'}]}}), {message: 'spec.containers[0].stdin: must be true or false'})
  t.throws(() => readPod({spec: {containers: [{name: 'c', image: 'i', volumeMounts: [{name: 'v', mountPath: '/x', subPath: 'y'}]}]}}), {message: 'spec.containers[0].volumeMounts[0].subPath is not supported by tspod'})
})

test('kindOf and readConfigMap', (t) => {
  t.is(kindOf({kind: 'Pod'}), 'Pod')
  t.throws(() => kindOf('text'), {message: /not a mapping/})
  t.deepEqual(readConfigMap({metadata: {name: 'm'}, data: {A: 1, B: true}}).data, {A: '1', B: 'true'})
})
