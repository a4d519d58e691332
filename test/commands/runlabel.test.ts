// `tspod container runlabel` end to end as the rootless user: an image built with run labels,
// its commands shown (--display) or run, podman in a label standing for this tspod, a failing
// command's exit status told in Podman's words with exit code 125, a missing label, --replace,
// and a label that no shell interprets.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, TSPOD_BIN, tspod, tspodOkResult as ok} from '../helpers/rootless'

const CONTAINERFILE = `FROM localhost/busybox:latest
LABEL install="podman run --rm --name NAME -e NAME=\\$NAME -e OPT=\\$OPT1 IMAGE echo hello"
LABEL fail="podman run --rm IMAGE false"
LABEL create="podman create --name NAME IMAGE true"
LABEL hostile="/bin/echo \\$(id) ; touch /tmp/runlabel-hostile | cat && \\$HOME *"
`

async function labelledImage(t: {teardown(fn: () => unknown): void}): Promise<Sandbox> {
  const box = await sandboxWithImages(t)
  const context = path.join(box.dir, 'ctx')
  fs.mkdirSync(context)
  fs.writeFileSync(path.join(context, 'Containerfile'), CONTAINERFILE)
  fs.chmodSync(context, 0o755)
  fs.chmodSync(path.join(context, 'Containerfile'), 0o644)
  await ok(box, ['build', '-q', '-t', 'app', context])
  return box
}

test('--display: the command with podman as this tspod, IMAGE, NAME and --opt1 filled in; nothing runs', async (t) => {
  const box = await labelledImage(t)
  const shown = await ok(box, ['container', 'runlabel', '--display', '--opt1=v1', 'INSTALL', 'app', 'world'])
  t.is(shown.stdout, `command: ${TSPOD_BIN} run --rm --name app -e NAME=app -e OPT=v1 localhost/app:latest echo hello world\n`)
  const named = await ok(box, ['container', 'runlabel', '--display', '-n', 'mine', 'install', 'localhost/app'])
  t.is(named.stdout, `command: ${TSPOD_BIN} run --rm --name mine -e NAME=mine -e OPT= localhost/app:latest echo hello\n`)
  t.is((await ok(box, ['ps', '-a', '-q'])).stdout, '')
})

test('run: the label\'s tspod command runs a container; a failing command is exit status N in Podman\'s words, exit 125', async (t) => {
  const box = await labelledImage(t)
  const r = await ok(box, ['container', 'runlabel', 'install', 'app', 'world'])
  t.is(r.stdout, 'hello world\n')
  const failed = await tspod(box, ['container', 'runlabel', 'fail', 'app'])
  t.is(failed.code, 125)
  t.is(failed.stderr, `Error: \`${TSPOD_BIN} run --rm localhost/app:latest false\` failed: exit status 1\n`)
})

test('a missing label: Podman\'s error, exit 125; runlabel has no top-level alias; the deprecated --pull=false does not pull', async (t) => {
  const box = await labelledImage(t)
  const r = await tspod(box, ['container', 'runlabel', '--display', 'run', 'app'])
  t.is(r.code, 125)
  t.is(r.stderr, 'Error: cannot find the value of label: run in image: app\n')
  t.is((await tspod(box, ['runlabel', 'install', 'app'])).code, 125)
  const notPulled = await tspod(box, ['container', 'runlabel', '--pull=false', 'install', 'nosuch'])
  t.is(notPulled.code, 125)
  t.is(notPulled.stderr, 'Flag --pull has been deprecated, podman will pull if not found in local storage\nError: nosuch: image not known\n')
})

test('--replace removes the container of the name the command creates; without it the name is taken', async (t) => {
  const box = await labelledImage(t)
  await ok(box, ['container', 'runlabel', '-q', 'create', 'app'])
  const first = (await ok(box, ['inspect', '--format', '{{.Id}}', 'app'])).stdout
  const again = await tspod(box, ['container', 'runlabel', '-q', 'create', 'app'])
  t.is(again.code, 125)
  t.regex(again.stderr, /failed: exit status 125\n$/)
  await ok(box, ['container', 'runlabel', '-q', '--replace', 'create', 'app'])
  const second = (await ok(box, ['inspect', '--format', '{{.Id}}', 'app'])).stdout
  t.not(second, first)
  t.is((await ok(box, ['ps', '-a', '--format', '{{.Names}}'])).stdout, 'app\n')
})

test('a hostile label is words for one program: no shell runs its substitutions, separators or globs', async (t) => {
  const box = await labelledImage(t)
  const r = await ok(box, ['container', 'runlabel', 'hostile', 'app'])
  t.is(r.stdout, '$(id) ; touch /tmp/runlabel-hostile | cat && *\n')
  t.false(fs.existsSync('/tmp/runlabel-hostile'))
})
