// @userns
// Healthchecks through the CLI as the rootless user: --health-* on run/create, `healthcheck
// run` (the check as an exec, its result in inspect's .State.Health, ps and events), the
// on-failure actions, the monitor's timer, and the image's HEALTHCHECK.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {privateEventsLog, sandboxWithImages} from '../helpers/image-sandbox'
import {RunOptions, Sandbox, tspod} from '../helpers/rootless'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function ok(box: Sandbox, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await tspod(box, args, opts)
  if (r.code !== 0) throw new Error(`tspod ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

async function refused(box: Sandbox, args: string[]): Promise<[number, string]> {
  const r = await tspod(box, args)
  return [r.code ?? -1, r.stderr]
}

interface Health {
  Status: string
  FailingStreak: number
  Log: {Start: string; End: string; ExitCode: number; Output: string}[] | null
}

async function health(box: Sandbox, name: string): Promise<Health> {
  return JSON.parse(await ok(box, ['inspect', '--format', '{{json .State.Health}}', name])) as Health
}

/** Polls until `done` holds of the container's health (the timer's checks come on their own). */
async function healthUntil(box: Sandbox, name: string, done: (h: Health) => boolean, ms = 20_000): Promise<Health> {
  const deadline = Date.now() + ms
  for (;;) {
    const h = await health(box, name)
    if (done(h) || Date.now() > deadline) return h
    await sleep(300)
  }
}

const CHECK = 'test ! -e /uh-oh && echo fine; echo on stderr >&2; test ! -e /uh-oh'

test('healthcheck run: the check as an exec, its output and status in inspect, ps and events; retries failures make it unhealthy', async (t) => {
  const box = await sandboxWithImages(t)
  privateEventsLog(box)
  await ok(box, ['run', '-d', '--name', 'hc', '--health-cmd', CHECK, '--health-interval', 'disable', '--health-retries', '2', 'busybox', 'sleep', '300'])
  t.deepEqual(await health(box, 'hc'), {Status: 'starting', FailingStreak: 0, Log: null})
  t.is(await ok(box, ['inspect', '--format', '{{json .Config.Healthcheck}} {{.Config.HealthcheckOnFailureAction}}', 'hc']), `{"Test":["CMD-SHELL",${JSON.stringify(CHECK)}],"Timeout":30000000000,"Retries":2} none\n`)

  t.is(await ok(box, ['healthcheck', 'run', 'hc']), '', 'a passing check prints nothing')
  const healthy = await health(box, 'hc')
  t.like(healthy, {Status: 'healthy', FailingStreak: 0})
  t.is(healthy.Log?.length, 1)
  t.like(healthy.Log?.[0], {ExitCode: 0, Output: 'fine\non stderr'})
  t.regex(healthy.Log![0].Start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
  t.is(await ok(box, ['inspect', '--format', '{{.State.Healthcheck.Status}}', 'hc']), 'healthy\n', '.State.Healthcheck, as Podman\'s method')
  t.regex(await ok(box, ['ps', '--format', '{{.Names}} {{.Status}}']), /^hc Up .* \(healthy\)\n$/)
  t.is(await ok(box, ['ps', '--filter', 'health=healthy', '--format', '{{.Names}}']), 'hc\n')
  t.is(await ok(box, ['ps', '--filter', 'health=unhealthy', '--format', '{{.Names}}']), '')

  await ok(box, ['exec', 'hc', 'touch', '/uh-oh'])
  const first = await tspod(box, ['healthcheck', 'run', 'hc'])
  t.is(first.code, 1)
  t.is(first.stdout, 'unhealthy\n', 'a failed check says unhealthy, whatever the streak')
  t.like(await health(box, 'hc'), {Status: 'healthy', FailingStreak: 1})
  t.is((await tspod(box, ['healthcheck', 'run', 'hc'])).code, 1)
  const unhealthy = await health(box, 'hc')
  t.like(unhealthy, {Status: 'unhealthy', FailingStreak: 2})
  t.like(unhealthy.Log?.at(-1), {ExitCode: 1, Output: 'on stderr'})
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}}', 'hc']), 'running\n', 'on-failure none: it runs on')
  t.regex(await ok(box, ['ps', '--format', '{{.Status}}']), /\(unhealthy\)\n$/)

  const events = await ok(box, ['events', '--stream=false', '--filter', 'event=health_status', '--format', '{{.Name}} {{.HealthStatus}}'])
  t.is(events, 'hc starting\nhc healthy\nhc healthy\n', 'each check\'s event tells the health before it, as Podman\'s')
})

test("refusals in Podman's words: no running container, no check, no such container; bad flags; --no-healthcheck and none", async (t) => {
  const box = await sandboxWithImages(t)
  t.deepEqual(await refused(box, ['create', '--health-on-failure=kill', 'busybox']), [125, 'Error: cannot set on-failure action to kill without a health check\n'])
  t.deepEqual(await refused(box, ['create', '--health-on-failure=bogus', 'busybox']), [125, 'Error: invalid on-failure action "bogus" for health check: supported actions are none,kill,restart,stop\n'])
  t.deepEqual(await refused(box, ['create', '--health-cmd', 'true', '--no-healthcheck', 'busybox']), [125, 'Error: cannot specify both --no-healthcheck and --health-cmd\n'])
  t.deepEqual(await refused(box, ['create', '--health-cmd', 'true', '--health-interval', 'soon', 'busybox']), [125, 'Error: invalid healthcheck-interval: time: invalid duration "soon"\n'])
  t.deepEqual(await refused(box, ['create', '--health-cmd', 'true', '--health-retries', '-1', 'busybox']), [125, 'Error: invalid argument "-1" for "--health-retries" flag: strconv.ParseUint: parsing "-1": invalid syntax\nSee \'podman create --help\'\n'])
  t.is(await ok(box, ['container', 'ls', '-aq']), '', 'nothing created')

  const created = (await ok(box, ['create', '--name', 'made', '--health-cmd', 'true', 'busybox', 'sleep', '300'])).trim()
  t.deepEqual(await refused(box, ['healthcheck', 'run', 'made']), [125, `Error: container ${created} is not running\n`])
  t.deepEqual(await health(box, 'made'), {Status: '', FailingStreak: 0, Log: null})
  const plain = (await ok(box, ['run', '-d', '--name', 'plain', 'busybox', 'sleep', '300'])).trim()
  t.deepEqual(await refused(box, ['healthcheck', 'run', 'plain']), [125, `Error: container ${plain} has no defined healthcheck\n`])
  t.is(await ok(box, ['inspect', '--format', '{{json .State.Health}} {{json .Config.Healthcheck}} {{.Config.HealthcheckOnFailureAction}}', 'plain']), '{"Status":"","FailingStreak":0,"Log":null} null none\n')
  const off = (await ok(box, ['run', '-d', '--name', 'off', '--no-healthcheck', 'busybox', 'sleep', '300'])).trim()
  t.is(await ok(box, ['inspect', '--format', '{{json .Config.Healthcheck}}', 'off']), '{"Test":["NONE"]}\n')
  t.deepEqual(await refused(box, ['healthcheck', 'run', 'off']), [125, `Error: container ${off} has no defined healthcheck\n`])
  t.deepEqual(await refused(box, ['healthcheck', 'run', 'nope']), [125, 'Error: unable to look up nope to perform a health check: no container with name or ID "nope" found: no such container\n'])
  t.deepEqual(await refused(box, ['healthcheck', 'run']), [125, 'Error: accepts 1 arg(s), received 0\n'])
  t.notRegex(await ok(box, ['ps', '--format', '{{.Names}} {{.Status}}']), /\(/, 'no health in STATUS without a check')
})

test('--health-on-failure: kill ends the container, restart starts it again (starting), stop stops it', async (t) => {
  const box = await sandboxWithImages(t)
  for (const action of ['kill', 'restart', 'stop']) {
    await ok(box, ['run', '-d', '--name', action, '--stop-timeout', '1', '--health-cmd', 'test ! -e /uh-oh', '--health-interval', 'disable', '--health-retries', '1', `--health-on-failure=${action}`, 'busybox', 'sh', '-c', 'rm -f /uh-oh; exec sleep 300'])
    await ok(box, ['healthcheck', 'run', action])
    await ok(box, ['exec', action, 'touch', '/uh-oh'])
    const failed = await tspod(box, ['healthcheck', 'run', action])
    t.deepEqual([failed.code, failed.stdout], [1, 'unhealthy\n'], action)
    const state = await ok(box, ['inspect', '--format', '{{.State.Status}} {{.Config.HealthcheckOnFailureAction}} {{.State.Health.Status}}', action])
    t.is(state, action === 'restart' ? 'running restart starting\n' : `exited ${action} unhealthy\n`, action)
  }
  t.is(await ok(box, ['healthcheck', 'run', 'restart']), '', 'restarted: its check passes again')
  t.is(await ok(box, ['inspect', '--format', '{{.State.Health.Status}} {{.State.Health.FailingStreak}}', 'restart']), 'healthy 0\n')
})

test("the monitor's timer runs the check every --health-interval while the container runs; disable runs none", async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'timed', '--health-cmd', 'test ! -e /uh-oh', '--health-interval', '1s', '--health-retries', '2', 'busybox', 'sleep', '300'])
  await ok(box, ['run', '-d', '--name', 'untimed', '--health-cmd', 'true', '--health-interval', 'disable', 'busybox', 'sleep', '300'])
  const checked = await healthUntil(box, 'timed', (h) => (h.Log?.length ?? 0) >= 2)
  t.like(checked, {Status: 'healthy', FailingStreak: 0})
  t.true((checked.Log?.length ?? 0) >= 2, 'two checks came by themselves')
  await ok(box, ['exec', 'timed', 'touch', '/uh-oh'])
  t.like(await healthUntil(box, 'timed', (h) => h.Status === 'unhealthy'), {Status: 'unhealthy'})
  t.deepEqual(await health(box, 'untimed'), {Status: 'starting', FailingStreak: 0, Log: null}, 'no check without an interval')
  await ok(box, ['stop', '-t', '0', 'timed'])
  const stopped = (await health(box, 'timed')).Log?.length
  await sleep(2500)
  t.is((await health(box, 'timed')).Log?.length, stopped, 'no check once it stopped')
})

test("the image's HEALTHCHECK (docker format) is the container's, its Timeout and Interval defaulted; an OCI build drops it with buildah's warning; none disables it", async (t) => {
  const box = await sandboxWithImages(t)
  const dir = path.join(box.dir, 'ctx')
  fs.mkdirSync(dir, {mode: 0o755})
  fs.writeFileSync(path.join(dir, 'Containerfile'), 'FROM busybox\nHEALTHCHECK --retries=4 CMD ["/bin/true"]\n', {mode: 0o644})
  await ok(box, ['build', '-q', '--format', 'docker', '-t', 'checked', dir])
  const oci = await tspod(box, ['build', '-q', '-t', 'unchecked', dir])
  t.is(oci.code, 0)
  t.regex(oci.stderr, /HEALTHCHECK is not supported for OCI image format and will be ignored\. Must use `docker` format/)
  t.is(await ok(box, ['image', 'inspect', '--format', '{{json .Healthcheck}}', 'unchecked']), 'null\n')

  await ok(box, ['create', '--name', 'from-image', 'checked'])
  t.is(await ok(box, ['inspect', '--format', '{{json .Config.Healthcheck}}', 'from-image']), '{"Test":["CMD","/bin/true"],"Interval":30000000000,"Timeout":30000000000,"Retries":4}\n')
  await ok(box, ['create', '--name', 'flags-win', '--health-cmd', 'exit 0', '--health-timeout', '2s', 'checked'])
  t.is(await ok(box, ['inspect', '--format', '{{json .Config.Healthcheck}}', 'flags-win']), '{"Test":["CMD-SHELL","exit 0"],"Interval":30000000000,"Timeout":2000000000,"Retries":3}\n')
  await ok(box, ['create', '--name', 'none', '--health-cmd', 'none', 'checked'])
  t.deepEqual(JSON.parse(await ok(box, ['inspect', '--format', '{{json .Config.Healthcheck.Test}}', 'none'])), ['NONE'])
  await ok(box, ['run', '-d', '--name', 'image-check', 'checked', 'sleep', '300'])
  t.is(await ok(box, ['healthcheck', 'run', 'image-check']), '')
  t.is(await ok(box, ['inspect', '--format', '{{.State.Health.Status}}', 'image-check']), 'healthy\n')
})
