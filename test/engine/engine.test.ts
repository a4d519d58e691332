// The Engine on a real-root store in a temp dir (the suite runs as root): it reports through its
// callbacks and return values, and writes nothing to stdout or stderr itself.
import test, {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {Engine} from '../../src/engine'
import {NoSuchContainerError, NoSuchVolumeError, UsageError} from '../../src/engine/errors'

function tempEngine(t: ExecutionContext): Engine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-engine-'))
  const engine = new Engine({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')})
  t.teardown(() => {
    engine.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })
  return engine
}

/** What `action` writes to this process's stdout and stderr. */
async function output(action: () => Promise<void>): Promise<string> {
  let written = ''
  const streams = [process.stdout, process.stderr]
  const writes = streams.map((s) => s.write)
  for (const s of streams)
    s.write = ((chunk: unknown) => {
      written += String(chunk)
      return true
    }) as typeof s.write
  try {
    await action()
  } finally {
    streams.forEach((s, i) => (s.write = writes[i]))
  }
  return written
}

test('a verb on several containers tells each failure to onError as it comes and returns them all, printing nothing', async (t) => {
  const engine = tempEngine(t)
  const told: unknown[] = []
  const done: string[] = []
  let errors: unknown[] = []
  const printed = await output(async () => {
    errors = await engine.remove({names: ['nope', 'gone']}, {onDone: (n) => done.push(n), onError: (e) => told.push(e)})
  })
  t.is(printed, '')
  t.deepEqual(done, [])
  t.is(errors.length, 2)
  t.deepEqual(told, errors)
  t.true(errors.every((e) => e instanceof NoSuchContainerError))
})

test('ignore takes a missing container out of the errors (rm -i, stop -i)', async (t) => {
  const engine = tempEngine(t)
  const told: unknown[] = []
  t.deepEqual(await engine.remove({names: ['nope'], ignore: true}, {onError: (e) => told.push(e)}), [])
  t.deepEqual(await engine.stop({names: ['nope'], ignore: true}, {onError: (e) => told.push(e)}), [])
  t.deepEqual(told, [])
})

test('exists verbs answer false for what is missing', async (t) => {
  const engine = tempEngine(t)
  t.false(await engine.containerExists('nope'))
  t.false(await engine.imageExists('nope'))
  t.false(await engine.volumeExists('nope'))
})

test('volumes: create, list, remove; a missing one is an error unless forced', async (t) => {
  const engine = tempEngine(t)
  const name = await engine.createVolume({name: 'engine-vol', labels: ['a=b']})
  t.is(name, 'engine-vol')
  t.deepEqual((await engine.listVolumes([])).records.map((r) => r.Name), ['engine-vol'])
  const removed: string[] = []
  const errors = await engine.removeVolumes({names: ['engine-vol', 'nope']}, {onDone: (n) => removed.push(n)})
  t.deepEqual(removed, ['engine-vol'])
  t.is(errors.length, 1)
  t.true(errors[0] instanceof NoSuchVolumeError)
  t.deepEqual(await engine.removeVolumes({names: ['nope'], force: true}), [])
})

test('bad input fails with a usage error before anything is made', async (t) => {
  const engine = tempEngine(t)
  await t.throwsAsync(engine.createVolume({name: 'v', uid: -1}), {instanceOf: UsageError, message: /--uid/})
  await t.throwsAsync(engine.logs({names: ['x'], since: 'not a time'}, () => () => undefined), {instanceOf: UsageError})
  t.false(await engine.volumeExists('v'))
})
