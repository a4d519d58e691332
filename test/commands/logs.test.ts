// @userns
// `logs -f` of several containers as the rootless user: every line of each, prefixed with its
// container's short ID, until both have stopped.
import test from 'ava'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {tspodOk as ok} from '../helpers/rootless'

test('logs -f follows several containers at once until each has stopped, each line under its container\'s ID', async (t) => {
  const box = await sandboxWithImages(t)
  const one = (await ok(box, ['run', '-d', '--name', 'one', 'busybox', 'sh', '-c', 'echo a; sleep 2; echo d'])).trim().slice(0, 12)
  const two = (await ok(box, ['run', '-d', '--name', 'two', 'busybox', 'sh', '-c', 'echo b; sleep 1; echo c'])).trim().slice(0, 12)
  const followed = await ok(box, ['logs', '-f', 'one', 'two'])
  const lines = followed.trimEnd().split('\n')
  t.deepEqual([...lines].sort(), [`${one} a`, `${one} d`, `${two} b`, `${two} c`].sort())
  t.true(lines.indexOf(`${one} a`) < lines.indexOf(`${one} d`) && lines.indexOf(`${two} b`) < lines.indexOf(`${two} c`), 'each container\'s lines in order')
  t.is(await ok(box, ['logs', '--names', 'one']), 'one a\none d\n')
  t.deepEqual(await ok(box, ['ps', '-q']), '', 'logs ended once both stopped')
})
