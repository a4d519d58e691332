// @userns
// A container's pasta by its pid file; a foreground run's pasta ended by the next tspod that sees
// the container gone after its tspod was killed with SIGKILL.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {endAbandonedPasta, runningPasta} from '../../../src/runtime/network/pasta-process'
import {sandboxWithImages} from '../../helpers/image-sandbox'
import {TSPOD_BIN, tspod, userEnv} from '../../helpers/rootless'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until<T>(read: () => T | undefined, ms = 10_000): Promise<T | undefined> {
  for (let waited = 0; waited < ms; waited += 100) {
    const value = read()
    if (value !== undefined) return value
    await sleep(100)
  }
  return undefined
}

test('a process is the pasta of a pid file only while it runs with that file on its command line', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pasta-pid-'))
  const pidFile = path.join(dir, 'pasta.pid')
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 60_000)', pidFile], {stdio: 'ignore'})
  const other = spawn('sleep', ['60'], {stdio: 'ignore'})
  try {
    t.is(runningPasta(pidFile), undefined, 'no pid file')
    fs.writeFileSync(pidFile, `${other.pid}\n`)
    t.is(runningPasta(pidFile), undefined, 'a process that is not the one started with it')
    fs.writeFileSync(pidFile, `${child.pid}\n`)
    t.is(runningPasta(pidFile), child.pid)
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    endAbandonedPasta(pidFile)
    t.is(await exited, 'SIGTERM')
    t.false(fs.existsSync(pidFile))
    t.notThrows(() => endAbandonedPasta(pidFile), 'nothing to end')
  } finally {
    child.kill('SIGKILL')
    other.kill('SIGKILL')
    fs.rmSync(dir, {recursive: true, force: true})
  }
})

/** The pasta processes whose command line names a path under `dir`, once detached (the pid their --pid file holds). */
function pastasUnder(dir: string): number[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((pid) => {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (path.basename(cmdline[0]) !== 'pasta' || !cmdline.some((a) => a.startsWith(dir))) return []
      const pidFile = cmdline[cmdline.indexOf('--pid') + 1]
      return fs.readFileSync(pidFile, 'utf8').trim() === pid ? [Number(pid)] : []
    } catch {
      return []
    }
  })
}

test('run --network pasta killed with SIGKILL: its pasta is ended by the next command that reads the container', async (t) => {
  const box = await sandboxWithImages(t)
  const {uid, gid} = box.user
  const cli = spawn('setpriv', ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--', process.execPath, '--', TSPOD_BIN, 'run', '--name', 'fg', '--network', 'pasta', 'busybox', 'sleep', '300'], {
    env: userEnv(box.user, box.env),
    cwd: '/',
    stdio: 'ignore',
  })
  const exited = new Promise((resolve) => cli.on('exit', resolve))
  try {
    const pasta = await until(() => pastasUnder(box.dir)[0])
    t.truthy(pasta, 'pasta started')
    for (let i = 0; i < 100 && (await tspod(box, ['ps', '--format', '{{.State}}'])).stdout !== 'running\n'; i++) await sleep(100)
    cli.kill('SIGKILL')
    await exited
    await sleep(300)
    t.true(fs.existsSync(`/proc/${pasta}`), 'pasta outlives the killed tspod')
    const ps = await tspod(box, ['ps', '-a', '--format', '{{.Names}} {{.State}}'])
    t.is(ps.stdout, 'fg exited\n', ps.stderr)
    t.is(await until(() => (fs.existsSync(`/proc/${pasta}`) ? undefined : true), 5_000), true, 'pasta ended')
  } finally {
    cli.kill('SIGKILL')
    await tspod(box, ['rm', '-af', '-t', '0'])
    for (const pid of pastasUnder(box.dir)) process.kill(pid, 'SIGKILL')
  }
})
