// The Engine's event recorder: Podman's fields per kind, nothing written with "none", and a
// failed write kept, never thrown.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {EventRecorder} from '../../src/events/recorder'

function tempLog(t: {teardown: (fn: () => void) => void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-rec-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return path.join(dir, 'events', 'events.log')
}

const readLog = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line))

test('container, image and volume events carry the fields Podman fills', async (t) => {
  const file = tempLog(t)
  const recorder = new EventRecorder({backend: 'file', path: file, maxSize: 0})
  await recorder.container({id: 'c'.repeat(64), name: 'web', imageName: 'localhost/img:1', labels: {tier: 'front'}}, 'died', 3)
  await recorder.image('tag', 'f'.repeat(64), 'localhost/img:2')
  await recorder.volume('create', 'data')
  const [died, tag, create] = readLog(file)
  t.like(died, {Type: 'container', Status: 'died', ID: 'c'.repeat(64), Name: 'web', Image: 'localhost/img:1', Attributes: {tier: 'front'}, ContainerExitCode: 3})
  t.like(tag, {Type: 'image', Status: 'tag', ID: 'f'.repeat(64), Name: 'localhost/img:2'})
  t.like(create, {Type: 'volume', Status: 'create', Name: 'data'})
  t.deepEqual(recorder.failures, [])
})

test('the none backend writes nothing; a write that fails is kept in failures, not thrown', async (t) => {
  const file = tempLog(t)
  await new EventRecorder({backend: 'none', path: file, maxSize: 0}).volume('create', 'data')
  t.false(fs.existsSync(file))
  const blocker = path.join(path.dirname(path.dirname(file)), 'blocker')
  fs.writeFileSync(blocker, '')
  const failing = new EventRecorder({backend: 'file', path: path.join(blocker, 'events.log'), maxSize: 0})
  await t.notThrowsAsync(failing.volume('create', 'data'))
  t.is(failing.failures.length, 1)
})
