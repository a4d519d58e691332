// @userns
// `attach`, `run -it --detach-keys` and `start -ai --detach-keys` end to end as the rootless
// user, on a real terminal (script(1)): detaching leaves the container running under its
// monitor (exit 0), attaching again relays the terminal both ways, the container's end gives its
// exit code; a container without a terminal has its stdout and stderr relayed apart; Podman's errors.
import test from 'ava'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, TSPOD_BIN, runAs, tspod} from '../helpers/rootless'

async function ok(box: Sandbox, args: string[]): Promise<string> {
  const r = await tspod(box, args)
  if (r.code !== 0) throw new Error(`tspod ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

/**
 * tspod on a terminal of its own, typed at: `typed` is a shell printf sequence of steps, each
 * `sleep` letting the container get there first (keys typed before tspod's raw mode would be the
 * host terminal's: ctrl-q is its flow control).
 */
function onTerminal(box: Sandbox, args: string, typed: string) {
  return runAs(box.user, ['sh', '-c', `(${typed}) | script -qec '${process.execPath} ${TSPOD_BIN} ${args}' /dev/null`], {env: box.env})
}

const READER = `sh -c "while read l; do echo got:\\$l; [ \\$l = q ] && exit 3; done"`

test('run -it: ctrl-p,ctrl-q detaches (exit 0, still running); attach relays the terminal, --detach-keys detaches again; the end is the exit code', async (t) => {
  const box = await sandboxWithImages(t)
  const run = await onTerminal(box, `run -it --name it1 busybox ${READER}`, `sleep 3; printf 'one\\r'; sleep 1; printf '\\020'; sleep 0.3; printf '\\021'`)
  t.is(run.code, 0, run.stderr + run.stdout)
  t.regex(run.stdout, /got:one/)
  t.is(await ok(box, ['ps', '--format', '{{.Names}} {{.State}}']), 'it1 running\n')

  const again = await onTerminal(box, 'attach --detach-keys ctrl-x it1', `sleep 2; printf 'two\\r'; sleep 1; printf '\\030'`)
  t.is(again.code, 0, again.stderr + again.stdout)
  t.regex(again.stdout, /got:two/)
  t.notRegex(again.stdout, /got:one/, 'what was written before this attach is in the log, not relayed again')
  t.is(await ok(box, ['ps', '--format', '{{.Names}}']), 'it1\n')

  const ended = await onTerminal(box, 'attach it1', `sleep 2; printf 'q\\r'; sleep 2`)
  t.is(ended.code, 3, ended.stderr + ended.stdout)
  t.regex(ended.stdout, /got:q/)
  t.regex(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}']), /^it1 Exited \(3\)/)
  t.is((await ok(box, ['logs', 'it1'])).replace(/\r/g, '').match(/got:\w+/g)?.join(' '), 'got:one got:two got:q', 'the log was written while attached')
})

test('run -it under the monitor: the terminal starts with our window size; --rm leaves nothing once the CLI has exited', async (t) => {
  const box = await sandboxWithImages(t)
  const sized = await runAs(box.user, ['script', '-qec', `stty rows 33 cols 101; ${process.execPath} ${TSPOD_BIN} run -it --rm busybox sh -c 'stty size; exit 6'`, '/dev/null'], {env: box.env})
  t.is(sized.code, 6, sized.stderr + sized.stdout)
  t.is(sized.stdout.replace(/\r/g, '').trim(), '33 101')
  t.is(await ok(box, ['ps', '-a', '-q']), '')
  // not on a terminal: Podman's warning, and it runs all the same
  const piped = await tspod(box, ['run', '--tty', '-i', '--rm', 'busybox', 'echo', 'hello'])
  t.is(piped.code, 0, piped.stderr)
  t.regex(piped.stderr, /The input device is not a TTY\. The --tty and --interactive flags might not work properly/)
  t.is(piped.stdout.replace(/\r/g, ''), 'hello\n')
})

test('start -ai --detach-keys detaches from a created -it container; --detach-keys "" passes the keys on', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '-it', '--name', 'it2', 'busybox', 'sh', '-c', 'head -c 1 | od -An -tx1; sleep 1000'])
  const started = await onTerminal(box, 'start -ai --detach-keys ctrl-a,x it2', `sleep 3; printf '\\001'; sleep 0.3; printf 'x'`)
  t.is(started.code, 0, started.stderr + started.stdout)
  t.is(await ok(box, ['ps', '--format', '{{.Names}}']), 'it2\n')
  await ok(box, ['rm', '-f', '-t', '0', 'it2'])
  await ok(box, ['create', '-it', '--name', 'it3', 'busybox', 'sh', '-c', 'head -c 1 | od -An -tx1; exit 7'])
  const passed = await onTerminal(box, 'start -ai --detach-keys= it3', `sleep 3; printf '\\020'; sleep 2`)
  t.is(passed.code, 7, passed.stderr + passed.stdout)
  t.regex(passed.stdout, / 10\r*\n/, 'ctrl-p reached the container')
})

test('attach to a container without a terminal: stdout and stderr apart, its exit code; -i input goes to it', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'out', 'busybox', 'sh', '-c', 'sleep 2; echo o1; echo e1 >&2; exit 5'])
  const r = await tspod(box, ['attach', 'out'])
  t.is(r.code, 5, r.stderr)
  t.is(r.stdout, 'o1\n')
  t.is(r.stderr, 'e1\n')

  // two clients at once each get all the output and the exit code
  await ok(box, ['run', '-d', '--name', 'two', 'busybox', 'sh', '-c', 'trap "echo term; exit 9" TERM; sleep 2; echo both; while :; do sleep 0.1; done'])
  const first = tspod(box, ['attach', 'two'])
  const second = tspod(box, ['attach', '--no-stdin', 'two'])
  await new Promise((resolve) => setTimeout(resolve, 4000))
  await ok(box, ['kill', '-s', 'TERM', 'two'])
  for (const r of await Promise.all([first, second])) {
    t.is(r.code, 9, r.stderr)
    t.is(r.stdout, 'both\nterm\n')
  }

  await ok(box, ['run', '-d', '-i', '--name', 'in', 'busybox', 'sh', '-c', 'read l; echo got:$l; exit 4'])
  const fed = await runAs(box.user, ['sh', '-c', `sleep 1; echo hello | ${process.execPath} ${TSPOD_BIN} attach in`], {env: box.env})
  t.is(fed.code, 4, fed.stderr)
  t.is(fed.stdout, 'got:hello\n')
})

test('attach errors: a stopped container, an unknown one, bad detach keys (Podman\'s words, 125)', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'idle', 'busybox', 'true'])
  const stopped = await tspod(box, ['attach', 'idle'])
  t.is(stopped.code, 125)
  t.is(stopped.stderr, 'Error: you can only attach to running containers\n')
  const unknown = await tspod(box, ['attach', 'nosuch'])
  t.is(unknown.code, 125)
  t.is(unknown.stderr, 'Error: no container with name or ID "nosuch" found: no such container\n')
  const id = (await ok(box, ['run', '-d', '--name', 'up', 'busybox', 'sleep', '1000'])).trim()
  const bad = await tspod(box, ['attach', '--detach-keys', 'ctrl-9', 'up'])
  t.is(bad.code, 125)
  t.is(bad.stderr, `Error: attaching to container ${id}: invalid detach keys: Unknown character: 'ctrl-9'\n`)
  const badRun = await tspod(box, ['run', '-it', '--detach-keys', 'ctrl-9', 'busybox', 'true'])
  t.is(badRun.code, 125)
  // (after the not-a-TTY warning: its stdin is a pipe here)
  t.regex(badRun.stderr, /\nError: invalid detach keys: Unknown character: 'ctrl-9'\n$/)
  await ok(box, ['rm', '-f', '-t', '0', 'up'])
})
