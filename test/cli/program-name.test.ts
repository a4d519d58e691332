// The name tspod calls itself: the name it was started by, tspod through its own entry script.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {programName} from '../../src/cli/program-name'
import {lookupUser, removeTree, runAs, sandbox, TEST_USER, TSPOD_BIN} from '../helpers/rootless'

test('tspod names itself by the name it was started as', (t) => {
  t.is(programName('/repo/bin/run.js'), 'tspod')
  t.is(programName('/usr/local/bin/podman'), 'podman')
  t.is(programName(''), 'tspod')
})

test('started by another name (a link), it uses that name', async (t) => {
  const user = lookupUser(TEST_USER)
  const box = sandbox(user)
  try {
    const link = path.join(box.dir, 'podman')
    fs.symlinkSync(TSPOD_BIN, link)
    const r = await runAs(user, [process.execPath, '--', link, 'image', 'nosuch'], {env: box.env})
    t.is(r.stderr, "Error: unrecognized command `podman image nosuch`\nTry 'podman image --help' for more information\n")
  } finally {
    removeTree(box.dir)
  }
})
