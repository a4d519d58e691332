// Podman's global flags before the command: moved after it for oclif.
import test from 'ava'

import {splitLeadingGlobals} from '../../src/cli/global-flags'

test('leading global flags with values, in both spellings, and boolean ones', (t) => {
  t.deepEqual(splitLeadingGlobals(['--root', '/x', 'info', '-f', 'json']), {globals: ['--root', '/x'], rest: ['info', '-f', 'json']})
  t.deepEqual(splitLeadingGlobals(['--runroot=/r', '--noout', '--log-level', 'debug', 'ps', '-a']), {globals: ['--runroot=/r', '--noout', '--log-level', 'debug'], rest: ['ps', '-a']})
  t.deepEqual(splitLeadingGlobals(['--runtime', 'crun', 'run', 'img']), {globals: ['--runtime', 'crun'], rest: ['run', 'img']})
  t.deepEqual(splitLeadingGlobals(['--default-mounts-file', '/m.conf', 'build', '.']), {globals: ['--default-mounts-file', '/m.conf'], rest: ['build', '.']})
})

test('the first word that is not a global flag ends them; later ones stay where they are', (t) => {
  t.deepEqual(splitLeadingGlobals(['ps', '--root', '/x']), {globals: [], rest: ['ps', '--root', '/x']})
  t.deepEqual(splitLeadingGlobals(['--help']), {globals: [], rest: ['--help']})
  t.deepEqual(splitLeadingGlobals([]), {globals: [], rest: []})
  t.deepEqual(splitLeadingGlobals(['--root']), {globals: ['--root'], rest: []}, 'a value-less last flag is left for oclif to refuse')
})
