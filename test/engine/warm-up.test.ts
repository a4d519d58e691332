// The hot path's modules load at once, without side effects that need a store.
import test from 'ava'
import * as path from 'node:path'

import {loadHotPathModules} from '../../src/engine/warm-up'

test('the lifecycle, the container records and the image listing modules are loaded', (t) => {
  loadHotPathModules()
  const loaded = Object.keys(require.cache).map((file) => path.relative(path.resolve(__dirname, '../../src'), file))
  for (const module of ['engine/lifecycle.js', 'runtime/container/records.js', 'storage/store/images/report.js']) t.true(loaded.includes(module), module)
})
