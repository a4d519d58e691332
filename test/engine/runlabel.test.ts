// runlabel (src/engine/runlabel.ts) on a real store: the image found locally or pulled, the label
// found by its name in any case, the command shown or run on the host (no shell), --replace.
import test, {type ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {type RunlabelInput, runlabel} from '../../src/engine/runlabel'
import {DEFAULT_CONFIG, busyboxImage, writeOciArchive} from '../helpers/oci-image'
import {createInput, engineFixture} from './engine-fixture'

const LABELS = {
  INSTALL: 'podman run --rm --name NAME -e IMAGE=IMAGE $OPT1 IMAGE /bin/install.sh ${OPT2}',
  // a space that survives both of Podman's splits: \\\ in the label
  write: '/bin/sh -c env\\\\\\ >$OPT2',
  fail: '/bin/false',
  web: '/bin/true --name web',
  empty: '',
}

async function labelledFixture(t: ExecutionContext) {
  const fixture = await engineFixture(t)
  const archive = path.join(fixture.dir, 'labelled.tar')
  await writeOciArchive(archive, [{image: await busyboxImage({config: {...DEFAULT_CONFIG, Labels: LABELS}})}])
  const [loaded] = await fixture.engine.load({input: archive, stdin: process.stdin})
  await fixture.engine.tag(loaded.image.id, ['localhost/labelled:latest'])
  const deps = {
    store: fixture.store,
    records: fixture.records,
    registries: fixture.engine.registries,
    removeContainer: (id: string) => fixture.engine.remove({names: [id], force: true}),
  }
  return {...fixture, deps, labelledId: loaded.image.id}
}

function input(label: string, image: string, extra: Partial<RunlabelInput> = {}): RunlabelInput {
  return {
    label,
    image,
    args: [],
    pullContext: () => {
      throw new Error(`test: ${image} was to be pulled`)
    },
    self: {argv: ['/usr/bin/env', 'tspod-self'], shown: '/opt/tspod'},
    env: {PATH: '/usr/bin:/bin'},
    cwd: '/',
    ...extra,
  }
}

test('--display: the label (named in any case) as a command, podman shown as tspod itself, IMAGE and NAME replaced', async (t) => {
  const {deps} = await labelledFixture(t)
  const shown = await runlabel(deps, input('install', 'labelled', {display: true, opt1: '-d', args: ['extra']}))
  t.deepEqual(shown.command, ['/opt/tspod', 'run', '--rm', '--name', 'labelled', '-e', 'IMAGE=localhost/labelled:latest', '-d', 'localhost/labelled:latest', '/bin/install.sh', 'extra'])
  const named = await runlabel(deps, input('INSTALL', 'localhost/labelled:latest', {display: true, name: 'mine', env: {OPT2: 'from-env'}}))
  t.deepEqual(named.command.slice(3, 5), ['--name', 'mine'])
  t.is(named.command.at(-1), 'from-env', '$OPT2 from the environment when --opt2 is not given')
})

test('by ID, $NAME is the image name\'s last part', async (t) => {
  const {deps, labelledId} = await labelledFixture(t)
  const shown = await runlabel(deps, input('install', labelledId.slice(0, 12), {display: true}))
  t.deepEqual(shown.command.slice(3, 5), ['--name', 'labelled'])
})

test('a missing label, or an empty one, is an error naming the label and the image as given', async (t) => {
  const {deps} = await labelledFixture(t)
  await t.throwsAsync(runlabel(deps, input('run', 'labelled', {display: true})), {message: 'cannot find the value of label: run in image: labelled'})
  await t.throwsAsync(runlabel(deps, input('EMPTY', 'localhost/labelled', {display: true})), {message: 'cannot find the value of label: EMPTY in image: localhost/labelled'})
})

test('a missing image is pulled', async (t) => {
  const {deps} = await labelledFixture(t)
  await t.throwsAsync(runlabel(deps, input('run', 'localhost/nosuch:1', {display: true})), {message: 'test: localhost/nosuch:1 was to be pulled'})
})

test('run: the command runs on the host with OPTn and PODMAN_RUNLABEL_NESTED in its environment; a failure is Podman\'s error', async (t) => {
  const {deps, dir} = await labelledFixture(t)
  const out = path.join(dir, 'out')
  await runlabel(deps, input('write', 'labelled', {opt1: 'hello', opt2: out, quiet: true}))
  const env = fs.readFileSync(out, 'utf8').split('\n')
  t.true(env.includes('OPT1=hello'))
  t.true(env.includes('PODMAN_RUNLABEL_NESTED=1'))
  await t.throwsAsync(runlabel(deps, input('fail', 'labelled', {quiet: true})), {message: '`/bin/false ` failed: exit status 1'})
})

test('--replace removes the container the command names with --name; without it the container stays', async (t) => {
  const {deps, engine, records} = await labelledFixture(t)
  await engine.create(createInput('busybox', {name: 'web'}))
  await runlabel(deps, input('web', 'labelled', {quiet: true}))
  t.truthy(records.list().find((c) => c.config.name === 'web'))
  await runlabel(deps, input('web', 'labelled', {quiet: true, replace: true}))
  t.falsy(records.list().find((c) => c.config.name === 'web'))
  await t.notThrowsAsync(runlabel(deps, input('web', 'labelled', {quiet: true, replace: true})), 'no such container: nothing to replace')
})

test('with --pull=false a missing image is not pulled: image not known', async (t) => {
  const {deps} = await labelledFixture(t)
  await t.throwsAsync(runlabel(deps, input('run', 'nosuch', {display: true, pull: false})), {message: 'nosuch: image not known'})
})

test('--authfile must exist', async (t) => {
  const {deps} = await labelledFixture(t)
  await t.throwsAsync(runlabel(deps, input('install', 'labelled', {display: true, authfile: '/nonexistent/auth.json'})), {message: 'stat /nonexistent/auth.json: no such file or directory'})
})
