// The name tspod calls itself: podman under its own names, else the name it was started by.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {commandLine, executablePath, invokedName, programName, selfInvocation} from '../../src/cli/program-name'
import {lookupUser, removeTree, runAs, sandbox, TEST_USER, TSPOD_BIN} from '../helpers/rootless'

test('under its own names tspod speaks as podman; under another, by that name', (t) => {
  t.is(programName('/repo/bin/run.js'), 'podman')
  t.is(programName('/usr/local/bin/tspod'), 'podman')
  t.is(programName('/usr/local/bin/podman'), 'podman')
  t.is(programName('/usr/bin/docker'), 'docker')
  t.is(programName(''), 'podman')
})

test('the name typed is what completion completes: tspod through its entry script', (t) => {
  t.is(invokedName('/repo/bin/run.js'), 'tspod')
  t.is(invokedName('/usr/local/bin/tspod'), 'tspod')
  t.is(invokedName('/usr/bin/docker'), 'docker')
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

test('tspod runs itself again through Node and its entry script, shown by that script\'s path', (t) => {
  const self = selfInvocation()
  t.is(self.argv[0], process.execPath)
  t.is(self.argv.at(-1), process.argv[1])
  t.is(self.argv.at(-2), '--', 'nothing after the script is read by Node')
  t.is(self.shown, process.argv[1])
})

test('the command line recorded is the entry script, then the arguments (Podman\'s os.Args)', (t) => {
  t.deepEqual(commandLine(['/usr/bin/node', '/repo/bin/run.js', 'run', '-d', 'img']), ['/repo/bin/run.js', 'run', '-d', 'img'])
})

test('the executable a unit runs is the entry script\'s real path, as Podman\'s /proc/self/exe', (t) => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'exe-'))
  try {
    fs.writeFileSync(path.join(dir, 'run.js'), '')
    fs.symlinkSync(path.join(dir, 'run.js'), path.join(dir, 'tspod'))
    t.is(executablePath(path.join(dir, 'tspod')), fs.realpathSync(path.join(dir, 'run.js')))
    t.is(executablePath('/no/such/tspod'), '/no/such/tspod')
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})
