// @userns
// slirp4netns for real, as the rootless test user: a child in new user+net+mount namespaces gets
// its network from startSlirp4netns (called in spawnInNamespaces' beforeRelease), the host
// reaches a busybox server in it through a published port, and slirp4netns is gone after
// stop() — or once the process that started it dies. The failures users hit come back as one
// line naming the port or the program.
import test from 'ava'
import {ChildProcess, spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import * as readline from 'node:readline'

import {hostContainersInternalIP} from '../../../src/runtime/network/hosts-entries'
import {PortMapping} from '../../../src/runtime/network/publish'
import {explainSlirp4netnsFailure} from '../../../src/runtime/network/slirp4netns'
import {TEST_USER, lookupUser, removeTree, userEnv} from '../../helpers/rootless'
import {processAlive} from '../../helpers/processes'

const FIXTURE = path.join(__dirname, 'slirp-fixture.js')
const EVENT_WAIT_MS = 60_000

interface FixtureEvent {
  event: 'network' | 'child' | 'done' | 'error'
  pid?: number
  ports?: PortMapping[]
  socketDir?: string
  line?: string
  exit?: {code: number | null; signal: string | null}
  slirpAlive?: boolean
  slirpChildren?: number[]
  socketDirEntries?: string[]
  error?: {name: string; message: string; exitCode: number; code?: string}
}

interface Fixture {
  process: ChildProcess
  events: FixtureEvent[]
  /** the first event (already seen or to come) that matches, or a rejection once the fixture ends */
  waitFor(match: (e: FixtureEvent) => boolean): Promise<FixtureEvent>
  stderr(): string
}

/** Run the fixture as the rootless user, its JSON lines as events. */
function startFixture(request: object): Fixture {
  const user = lookupUser(TEST_USER)
  const setpriv = ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--']
  const child = spawn('setpriv', [...setpriv, process.execPath, FIXTURE, JSON.stringify(request)], {
    env: userEnv(user),
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const events: FixtureEvent[] = []
  const waiters: {match: (e: FixtureEvent) => boolean; resolve: (e: FixtureEvent) => void}[] = []
  let stderr = ''
  let ended = false
  const endWaiters: (() => void)[] = []
  child.stderr!.on('data', (d) => (stderr += d))
  readline.createInterface({input: child.stdout!}).on('line', (line) => {
    const event = JSON.parse(line) as FixtureEvent
    events.push(event)
    for (const w of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(event)
    }
  })
  child.on('close', () => {
    ended = true
    endWaiters.forEach((f) => f())
  })
  const waitFor = (match: (e: FixtureEvent) => boolean): Promise<FixtureEvent> => {
    const seen = events.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const fail = (why: string) => () => reject(new Error(`${why}; events: ${JSON.stringify(events)}; stderr: ${stderr}`))
      if (ended) return fail('the fixture ended first')()
      const timer = setTimeout(fail(`nothing matching within ${EVENT_WAIT_MS / 1000}s`), EVENT_WAIT_MS)
      waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer)
          resolve(e)
        },
      })
      endWaiters.push(() => {
        // the last lines are read before 'close'; whatever matched has been resolved
        clearTimeout(timer)
        setImmediate(fail('the fixture ended first'))
      })
    })
  }
  return {process: child, events, waitFor, stderr: () => stderr}
}

/** Wait (up to a generous bound) until `pid` has exited. */
async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 50))
  return !processAlive(pid)
}

function fetchFrom(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const socket = net.connect({host: '127.0.0.1', port})
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => (text += d))
    socket.on('error', reject)
    socket.on('close', () => resolve(text))
  })
}

function listenOnHost(reply?: string): Promise<net.Server> {
  const server = net.createServer((socket) => socket.end(reply ?? ''))
  return new Promise((resolve) => server.listen({host: '0.0.0.0', port: 0}, () => resolve(server)))
}

const serverPort = (server: net.Server): number => (server.address() as net.AddressInfo).port

const SERVE_ONE_CONNECTION = [
  'busybox nc -l -p 8080 -e busybox echo hello-from-container &',
  // 8080 is 1F90: wait until the listening socket (IPv6 and IPv4) shows in this namespace's table
  "while ! busybox grep -q ':1F90 0*:0000 0A' /proc/net/tcp /proc/net/tcp6; do busybox usleep 10000; done",
  'echo listening',
  'wait',
]

test.serial('a published port reaches a server in the container, which has tap0 10.0.2.100/24; stop() ends slirp4netns', async (t) => {
  const hostIP = hostContainersInternalIP()
  t.truthy(hostIP, 'this host has an address for host.containers.internal')
  const hostServer = await listenOnHost('hello-from-host\n')
  const port = serverPort(hostServer)
  const script = [
    'busybox ip -o -4 addr show dev tap0',
    'busybox ip -o link show dev tap0',
    'busybox ip route',
    `echo "host-internal: $(busybox nc ${hostIP} ${port} </dev/null)"`,
    `echo "gateway-loopback: $(busybox nc -w 5 10.0.2.2 ${port} </dev/null 2>&1)"`,
    ...SERVE_ONE_CONNECTION,
  ].join('\n')
  const fixture = startFixture({publish: ['8080', '5353/udp'], script})
  try {
    const network = await fixture.waitFor((e) => e.event === 'network' || e.event === 'error')
    t.is(network.event, 'network', JSON.stringify(network.error))
    const [tcp, udp] = network.ports!
    t.like(tcp, {hostIP: '', containerPort: 8080, protocol: 'tcp', range: 1})
    t.like(udp, {hostIP: '', containerPort: 5353, protocol: 'udp', range: 1})
    t.true(tcp.hostPort > 0 && udp.hostPort > 0)

    await fixture.waitFor((e) => e.line === 'listening')
    t.is(await fetchFrom(tcp.hostPort), 'hello-from-container\n')

    const done = await fixture.waitFor((e) => e.event === 'done' || e.event === 'error')
    t.is(done.event, 'done', JSON.stringify(done.error))
    t.deepEqual(done.exit, {code: 0, signal: null})
    t.false(done.slirpAlive)
    t.false(processAlive(network.pid!))
    t.deepEqual(done.socketDirEntries, [], 'its API socket is gone')

    const lines = fixture.events.flatMap((e) => (e.event === 'child' ? [e.line!] : []))
    const output = lines.join('\n')
    t.regex(output, /tap0\s+inet 10\.0\.2\.100\/24 /)
    t.regex(output, /tap0: <[^>]*UP[^>]*> mtu 65520 /)
    t.regex(output, /^default via 10\.0\.2\.2 dev tap0/m)
    t.true(lines.includes('host-internal: hello-from-host'), output)
    // --disable-host-loopback: the gateway address does not lead to the host
    t.regex(lines.find((l) => l.startsWith('gateway-loopback:')) ?? '', /^gateway-loopback: (?!hello)/)
  } finally {
    fixture.process.kill('SIGKILL')
    hostServer.close()
  }
})

test.serial('slirp4netns ends when the process that started it dies without stopping it', async (t) => {
  const fixture = startFixture({publish: ['8080'], script: 'exec busybox sleep 600', orphan: true})
  const network = await fixture.waitFor((e) => e.event === 'network' || e.event === 'error')
  t.is(network.event, 'network', JSON.stringify(network.error))
  t.true(processAlive(network.pid!))
  t.deepEqual(fs.readdirSync(network.socketDir!), [], 'nothing of it on disk once the ports are forwarded')
  fixture.process.kill('SIGKILL')
  t.true(await waitGone(network.pid!), 'slirp4netns saw its exit fd close and exited')
  removeTree(network.socketDir!)
})

test.serial('a host port in use is refused with the port and the reason; nothing is left running', async (t) => {
  const busy = await listenOnHost()
  try {
    const port = serverPort(busy)
    const fixture = startFixture({publish: [`${port}:8080`], script: 'true'})
    const failed = await fixture.waitFor((e) => e.event === 'error' || e.event === 'done')
    t.is(failed.error?.message, `cannot publish host port ${port}: listen tcp 0.0.0.0:${port}: bind: address already in use`)
    t.is(failed.error?.exitCode, 126)
    t.deepEqual(failed.slirpChildren, [])
    t.deepEqual(failed.socketDirEntries, [])
  } finally {
    busy.close()
  }
})

test.serial('a privileged host port is refused in rootlessport words', async (t) => {
  const start = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'))
  t.true(start > 80, 'port 80 is privileged on this host')
  const fixture = startFixture({publish: ['80:8080'], script: 'true'})
  const failed = await fixture.waitFor((e) => e.event === 'error' || e.event === 'done')
  t.is(
    failed.error?.message,
    `cannot expose privileged port 80, you can add 'net.ipv4.ip_unprivileged_port_start=80' to /etc/sysctl.conf (currently ${start}), or choose a larger port number (>= ${start}): listen tcp 0.0.0.0:80: bind: permission denied`,
  )
  t.deepEqual(failed.slirpChildren, [])
})

test.serial('a missing slirp4netns program is named, with the fix', async (t) => {
  const fixture = startFixture({publish: [], script: 'true', binary: '/nonexistent/slirp4netns'})
  const failed = await fixture.waitFor((e) => e.event === 'error' || e.event === 'done')
  t.is(
    failed.error?.message,
    "could not find slirp4netns, the network namespace can't be configured: /nonexistent/slirp4netns is not an executable file; install it (apt-get install slirp4netns) or set its path",
  )
})

test.serial('ports slirp4netns cannot forward are refused before it starts', async (t) => {
  const sctp = startFixture({publish: ['8080:80/sctp'], script: 'true'})
  const sctpFailed = await sctp.waitFor((e) => e.event === 'error' || e.event === 'done')
  t.is(sctpFailed.error?.message, 'from slirp4netns while setting up port redirection: map[desc:bad request: add_hostfwd: bad arguments.proto]', 'Podman\'s words with port_handler=slirp4netns')
  const v6 = startFixture({publish: ['[::1]:8080:80'], script: 'true'})
  const v6Failed = await v6.waitFor((e) => e.event === 'error' || e.event === 'done')
  t.is(v6Failed.error?.message, 'cannot publish [::1]:8080:80/tcp: slirp4netns forwards ports on IPv4 host addresses only')
})

test.serial('slirp4netns failing to join the namespaces is reported with its own words', async (t) => {
  // pid 1 is root's: the rootless user may not enter its network namespace
  const fixture = startFixture({publish: ['8080'], script: 'true', targetPid: 1})
  const failed = await fixture.waitFor((e) => e.event === 'error' || e.event === 'done')
  t.regex(failed.error?.message ?? '', /^\/\S*slirp4netns failed: \/proc\/1\/ns\/(net|user): Permission denied$/)
  t.deepEqual(failed.slirpChildren, [])
  t.deepEqual(failed.socketDirEntries, [])
})

test('a slirp4netns failure reads as one line with the fix: /dev/net/tun not usable', (t) => {
  // what slirp4netns 1.2.0 prints when /dev/net/tun is 0600 root (seen through Podman here)
  const log = 'open("/dev/net/tun"): Permission denied\nWARNING: Support for seccomp is experimental\nWARNING: Support for IPv6 is experimental\nchild failed(1)\n'
  t.is(
    explainSlirp4netnsFailure('/usr/bin/slirp4netns', log, 'exit status 1'),
    `/usr/bin/slirp4netns failed: open("/dev/net/tun"): Permission denied: /dev/net/tun must be readable and writable by every user; fix (as root): chmod 0666 /dev/net/tun (Debian's udev makes it 0666)`,
  )
  t.is(
    explainSlirp4netnsFailure('/usr/bin/slirp4netns', 'open("/dev/net/tun"): No such file or directory\nchild failed(1)\n', 'exit status 1'),
    '/usr/bin/slirp4netns failed: open("/dev/net/tun"): No such file or directory: /dev/net/tun is missing; fix (as root): modprobe tun, or mkdir -p /dev/net && mknod -m 0666 /dev/net/tun c 10 200',
  )
  t.is(
    explainSlirp4netnsFailure('/usr/bin/slirp4netns', 'sent tapfd=5 for tap0\nreceived tapfd=5\nsetegid(0)\nparent failed\n', 'exit status 1'),
    '/usr/bin/slirp4netns failed: setegid(0)',
  )
  t.is(explainSlirp4netnsFailure('/usr/bin/slirp4netns', '', 'killed by signal SIGKILL'), '/usr/bin/slirp4netns failed: killed by signal SIGKILL')
})
