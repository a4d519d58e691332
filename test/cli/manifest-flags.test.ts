import test from 'ava'

import {instanceOverrides} from '../../src/cli/manifest-flags'

test('the instance flags become overrides; features given with commas or repeated are one list', (t) => {
  t.deepEqual(instanceOverrides({arch: 'arm64', variant: 'v8', 'os-version': '10', features: ['a,b', 'c'], 'os-features': ['x'], annotation: ['k=v']}), {
    annotations: ['k=v'],
    arch: 'arm64',
    features: ['a', 'b', 'c'],
    os: undefined,
    osVersion: '10',
    osFeatures: ['x'],
    variant: 'v8',
  })
})
