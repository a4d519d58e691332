// A chatty container must not fill the disk, nor `logs` the memory: with --log-opt max-size or
// containers.conf's log_size_max, the monitor keeps the log under the limit (a full log starts
// again empty, as conmon does), also after `start` runs a new monitor; `logs --tail` reads a huge
// log from its end. As the rootless test user, with real containers.
import test, {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, TSPOD_BIN, runAs, tspod, tspodOk as ok} from '../helpers/rootless'
import {until} from '../helpers/processes'

const PAYLOAD = 'payload-abcdefghijklmnopqrstuvwxyz-0123456789'
/**
 * On every start: waits for /sync/go (so that the test watches from the first byte), then writes
 * 300000 numbered lines (about 28 MB of log) as fast as it can, a marker, and waits.
 */
const CHATTY = `until [ -e /sync/go ]; do sleep 0.05; done; rm /sync/go; n=0; while [ $n -lt 150 ]; do yes "$n-${PAYLOAD}" | head -n 2000; n=$((n+1)); done; echo written-$n-$RANDOM-$RANDOM; exec sleep 1000`
const LINE = new RegExp(`^(\\d+-${PAYLOAD}|written-\\d+-\\d+-\\d+)$`)
/** One k8s-file entry of a CHATTY line: time, stream, tag, content, newline. */
const ENTRY_SLACK = 120

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}

/** The last line of output in the log, read from its end. */
function lastLine(file: string): string {
  try {
    const fd = fs.openSync(file, 'r')
    try {
      const buf = Buffer.alloc(256)
      const n = fs.readSync(fd, buf, 0, buf.length, Math.max(0, fs.fstatSync(fd).size - buf.length))
      const lines = buf.subarray(0, n).toString('utf8').split('\n')
      return lines[lines.length - 2]?.replace(/^\S+ stdout F /, '') ?? ''
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return ''
  }
}

/** A dir the container sees as /sync: the test tells it to write by creating `go` there. */
function syncDir(box: Sandbox): string {
  const dir = path.join(box.dir, 'sync')
  fs.mkdirSync(dir, {recursive: true})
  fs.chownSync(dir, box.user.uid, box.user.gid)
  return dir
}

/**
 * Lets the container write, and returns the largest size its log reaches meanwhile, sampled
 * without a pause (at full speed a 1 MB log fills in milliseconds), once its marker (other than
 * `previous`) is there.
 */
function largestWhileWriting(sync: string, file: string, previous = ''): {largest: number; marker: string} {
  let largest = sizeOf(file)
  fs.writeFileSync(path.join(sync, 'go'), '')
  const deadline = Date.now() + 120_000
  for (let i = 0; Date.now() < deadline; i++) {
    largest = Math.max(largest, sizeOf(file))
    if (i % 1000 !== 0) continue
    const marker = lastLine(file)
    if (marker.startsWith('written-') && marker !== previous) return {largest, marker}
  }
  throw new Error(`no marker in ${file}`)
}

/** `logs` of a container that wrote CHATTY: whole lines ending with the marker, the first ones gone; --tail 5 its last 5. */
async function checkLogs(t: ExecutionContext, box: Sandbox, name: string): Promise<void> {
  const lines = (await ok(box, ['logs', name])).split('\n')
  t.is(lines.pop(), '', 'the output ends with a newline')
  t.true(lines.every((l) => LINE.test(l)), 'every line is whole')
  t.regex(lines[lines.length - 1], /^written-\d+-\d+-\d+$/)
  t.true(!lines[0].startsWith('0-'), 'the first lines are gone: the log started again')
  const tail = (await ok(box, ['logs', '--tail', '5', name])).split('\n')
  t.is(tail.length, 6)
  t.is(tail.slice(0, 5).join('\n'), lines.slice(-5).join('\n'))
}

test.serial('--log-opt max-size=1m keeps a chatty container\'s log at most 1 MB, also under the monitor `start` runs later', async (t) => {
  const box = await sandboxWithImages(t)
  const sync = syncDir(box)
  await ok(box, ['run', '-d', '--name', 'chatty', '-v', `${sync}:/sync`, '--log-opt', 'max-size=1m', '--log-opt', 'tag=mine', 'busybox', 'sh', '-c', CHATTY])
  const config = JSON.parse(await ok(box, ['inspect', '--format', '{{json .HostConfig.LogConfig}}', 'chatty']))
  t.like(config, {Type: 'k8s-file', Config: null, Tag: 'mine', Size: '1MB'})
  const file = config.Path as string
  t.true(path.isAbsolute(file))
  const limit = 1_000_000
  const first = largestWhileWriting(sync, file)
  t.log(`largest log seen: ${first.largest} bytes`)
  t.true(first.largest <= limit + ENTRY_SLACK, 'at most the limit while it writes')
  t.true(first.largest > limit / 2, 'the log did fill up')
  await checkLogs(t, box, 'chatty')

  // a new monitor: it counts what the log holds and keeps the limit
  await ok(box, ['stop', '-t', '0', 'chatty'])
  await ok(box, ['start', 'chatty'])
  const second = largestWhileWriting(sync, file, first.marker)
  t.log(`largest log seen after start: ${second.largest} bytes`)
  t.true(second.largest <= limit + ENTRY_SLACK, 'at most the limit after start')
  t.true(second.largest > limit / 2, 'the log did fill up')
  await checkLogs(t, box, 'chatty')
  await ok(box, ['rm', '-f', '-t', '0', 'chatty'])
})

test.serial('containers.conf log_size_max (the user\'s, under XDG_CONFIG_HOME) limits the log of a container without max-size', async (t) => {
  const box = await sandboxWithImages(t)
  const confDir = path.join(box.env.XDG_CONFIG_HOME, 'containers')
  fs.mkdirSync(confDir, {recursive: true})
  fs.writeFileSync(path.join(confDir, 'containers.conf'), '[containers]\nlog_size_max = 300000\n')
  fs.chownSync(box.env.XDG_CONFIG_HOME, box.user.uid, box.user.gid)
  const sync = syncDir(box)
  await ok(box, ['run', '-d', '--name', 'conf-limited', '-v', `${sync}:/sync`, 'busybox', 'sh', '-c', CHATTY])
  const config = JSON.parse(await ok(box, ['inspect', '--format', '{{json .HostConfig.LogConfig}}', 'conf-limited']))
  t.like(config, {Type: 'k8s-file', Size: '0B'}, 'as Podman 4.3: inspect shows max-size only')
  const {largest} = largestWhileWriting(sync, config.Path)
  t.log(`largest log seen: ${largest} bytes`)
  t.true(largest <= 300_000 + ENTRY_SLACK)
  t.true(largest > 150_000, 'the log did fill up')
  await checkLogs(t, box, 'conf-limited')
  await ok(box, ['rm', '-f', '-t', '0', 'conf-limited'])

  fs.writeFileSync(path.join(confDir, 'containers.conf'), '[containers]\nlog_size_max = 5000\n')
  const bad = await tspod(box, ['run', '--name', 'refused', 'busybox', 'true'])
  t.is(bad.code, 125)
  t.is(bad.stderr, `Error: validating containers config: log size max should be negative or >= 8192 (log_size_max = 5000 in ${path.join(confDir, 'containers.conf')})\n`)
})

test.serial('logs --tail 5 of a 300 MB log prints its last 5 lines, in far less memory than the log', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['create', '--name', 'big', 'busybox', 'true'])).trim()
  const file = (await ok(box, ['inspect', '--format', '{{.HostConfig.LogConfig.Path}}', id])).trim()
  // the log as the monitor writes it, written here to spare the time: 300 MB of entries
  const entry = (i: number) => `2026-12-01T10:00:00.000000000+00:00 stdout F line-${i}-${'x'.repeat(90)}\n`
  const fd = fs.openSync(file, 'w', 0o600)
  let written = 0
  let i = 0
  while (written < 300_000_000) {
    const block = Array.from({length: 10_000}, () => entry(i++)).join('')
    fs.writeSync(fd, block)
    written += Buffer.byteLength(block)
  }
  fs.writeSync(fd, '2026-12-01T10:00:01.000000000+00:00 stderr P the-last-\n2026-12-01T10:00:01.000000000+00:00 stderr F line\n')
  fs.closeSync(fd)
  fs.chownSync(file, box.user.uid, box.user.gid)
  const size = fs.statSync(file).size

  const timed = await runAs(box.user, ['/usr/bin/time', '-f', 'peak-rss-kb=%M', process.execPath, TSPOD_BIN, 'logs', '--tail', '5', 'big'], {env: box.env})
  t.is(timed.code, 0, timed.stderr)
  t.is(timed.stdout, [i - 4, i - 3, i - 2, i - 1].map((n) => `line-${n}-${'x'.repeat(90)}\n`).join(''))
  t.true(timed.stderr.startsWith('the-last-line\n'))
  const peakKb = Number(/peak-rss-kb=(\d+)/.exec(timed.stderr)![1])
  t.log(`logs --tail 5 of ${size} bytes: peak RSS ${peakKb} kB`)
  t.true(peakKb * 1024 < size / 3, `peak RSS ${peakKb} kB against a log of ${size} bytes`)

  // all of it, streamed: bounded too (reading it whole took more than the log's size)
  const all = await runAs(box.user, ['sh', '-c', `/usr/bin/time -f peak-rss-kb=%M "$@" 2>&1 >/dev/null | tail -n 1`, 'sh', process.execPath, TSPOD_BIN, 'logs', 'big'], {
    env: box.env,
    timeoutMs: 300_000,
  })
  const allKb = Number(/peak-rss-kb=(\d+)/.exec(all.stdout)![1])
  t.log(`logs of ${size} bytes: peak RSS ${allKb} kB`)
  t.true(allKb * 1024 < size / 2, `peak RSS ${allKb} kB against a log of ${size} bytes`)
})

test.serial('logs -f follows a log that restarts at its limit: whole lines, in order, none twice, to the end', async (t) => {
  const box = await sandboxWithImages(t)
  const script = 'i=0; while [ $i -lt 6000 ]; do echo "$i-payload"; i=$((i+1)); [ $((i % 50)) = 0 ] && sleep 0.02; done; echo follow-end; exec sleep 1000'
  await ok(box, ['run', '-d', '--name', 'followed', '--log-opt', 'max-size=20k', 'busybox', 'sh', '-c', script])
  const follow = tspod(box, ['logs', '-f', 'followed'], {timeoutMs: 120_000})
  await until(async () => (await ok(box, ['logs', '--tail', '1', 'followed'])) === 'follow-end\n', 'the end of the output', 60_000)
  await ok(box, ['stop', '-t', '0', 'followed'])
  const lines = (await follow).stdout.split('\n')
  t.is(lines.pop(), '')
  t.is(lines.pop(), 'follow-end')
  t.true(lines.every((l) => /^\d+-payload$/.test(l)), 'every line whole')
  const numbers = lines.map((l) => Number.parseInt(l, 10))
  t.true(numbers.every((n, i) => i === 0 || n > numbers[i - 1]), 'in order, none twice')
  t.log(`logs -f saw ${numbers.length} of 6000 lines (a line in a log restarted twice between two reads is gone, as under Podman)`)
  t.true(numbers.length > 1000)
})
