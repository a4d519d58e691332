// Container options through the CLI, as the rootless user: networking (slirp4netns, -p), the
// external runtime (--runtime crun), --init, --userns=keep-id and top.
import test from 'ava'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'

import {hostContainersInternalIP} from '../../src/runtime/network/hosts-entries'
import {httpGet} from '../helpers/http-get'
import {graphRoot, sandboxWithImages} from '../helpers/image-sandbox'
import {until} from '../helpers/processes'
import {TSPOD_BIN, runAs, tspod, tspodOk as ok} from '../helpers/rootless'


async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

test('a detached container\'s pasta is ended by its monitor before the exit file is written (stop does not wait out a grace period for it)', async (t) => {
  const box = await sandboxWithImages(t)
  const runRoot = `${box.dir}/run`
  const id = (await ok(box, ['--runroot', runRoot, 'run', '-d', '--network', 'pasta', 'busybox', 'sleep', '1'])).trim()
  const pasta = Number(fs.readFileSync(`${graphRoot(box)}/containers/${id}/userdata/pasta.pid`, 'utf8'))
  const exitFile = `${runRoot}/containers/${id}/exit`
  await until(() => fs.existsSync(exitFile), 'the exit file', 20_000)
  let stat = ''
  try {
    stat = fs.readFileSync(`/proc/${pasta}/stat`, 'utf8')
  } catch {
    // reaped: gone
  }
  t.false(/^\S+ \(.*\) [^ZX]/.test(stat), `pasta (${pasta}) still ran when the exit file appeared: ${stat}`)
})

test('--network slirp4netns[:OPTIONS]: tap0 .100 of the cidr asked, with the mtu asked, lo up, its DNS and hosts; -p publishes a port', async (t) => {
  const box = await sandboxWithImages(t)
  const inside = await ok(box, ['run', '--rm', '--network', 'slirp4netns:mtu=1500,port_handler=slirp4netns,cidr=10.0.3.0/24', '--name', 'netname', '--hostname', 'nethost', 'busybox', 'sh', '-c', 'ip -4 addr show tap0 | grep -o "inet [0-9./]*"; ip link show lo | grep -c UP; head -1 /etc/resolv.conf; grep 10.0.3.100 /etc/hosts; ip link show tap0 | grep -o "mtu [0-9]*"'])
  t.is(inside, 'inet 10.0.3.100/24\n1\nnameserver 10.0.3.3\n10.0.3.100\tnethost netname\nmtu 1500\n')
  t.is(await ok(box, ['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'ip -o link show | cut -d: -f2']), ' lo\n')

  const port = await freePort()
  await ok(box, ['run', '-d', '--name', 'web', '--network', 'slirp4netns', '-p', `${port}:8080`, 'busybox', 'sh', '-c', 'echo hello-web > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'])
  let body = ''
  for (let i = 0; i < 100 && body === ''; i++) {
    body = await httpGet(port).catch(() => '')
    if (body === '') await new Promise((r) => setTimeout(r, 100))
  }
  t.is(body, 'hello-web\n')
  t.is(await ok(box, ['port', 'web']), `8080/tcp -> 0.0.0.0:${port}\n`)
  const unpublished = await tspod(box, ['port', 'web', '99/tcp'])
  t.deepEqual([unpublished.code, unpublished.stdout, unpublished.stderr], [125, '', 'Error: failed to find published port "99/tcp"\n'])
  t.is(await ok(box, ['ps', '--format', '{{.Ports}}']), `0.0.0.0:${port}->8080/tcp\n`)
  await ok(box, ['rm', '-f', '-t', '0', 'web'])
  await t.throwsAsync(httpGet(port), undefined, 'the port is closed with the container')

  const bad = await tspod(box, ['run', '--rm', '-p', '80:80:80:80', 'busybox', 'true'])
  t.is(bad.code, 125)
  t.regex(bad.stderr, /^Error: .*\n$/)
  // as Podman: the ports are dropped with a warning, and the container runs
  const none = await tspod(box, ['run', '--rm', '--network', 'none', '-p', '8080', 'busybox', 'true'])
  t.is(none.code, 0)
  t.regex(none.stderr, /Port mappings have been discarded/)
})

test('the default network is pasta (installed here): the host\'s address, its DNS forwarder, -p publishes a port; pasta ends with the container', async (t) => {
  const box = await sandboxWithImages(t)
  const port = await freePort()
  const id = (await ok(box, ['run', '-d', '-p', `127.0.0.1:${port}:8080`, 'busybox', 'sh', '-c',
    '{ ip -4 -o addr show eth0 | grep -c " inet "; head -1 /etc/resolv.conf; } > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'])).trim()
  let body = ''
  for (let i = 0; i < 100 && body === ''; i++) {
    body = await httpGet(port).catch(() => '')
    if (body === '') await new Promise((r) => setTimeout(r, 100))
  }
  t.is(body, '1\nnameserver 169.254.1.1\n')
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.NetworkMode}}', id]), 'pasta\n')
  t.is(await ok(box, ['port', id]), `8080/tcp -> 127.0.0.1:${port}\n`)
  const pasta = Number(fs.readFileSync(`${graphRoot(box)}/containers/${id}/userdata/pasta.pid`, 'utf8'))
  t.regex(fs.readFileSync(`/proc/${pasta}/cmdline`, 'utf8'), /pasta/)
  await ok(box, ['rm', '-f', '-t', '0', id])
  // ended (a zombie init has still to reap counts)
  const ended = (): boolean => {
    try {
      return /^\S+ \(.*\) [ZX]/.test(fs.readFileSync(`/proc/${pasta}/stat`, 'utf8'))
    } catch {
      return true
    }
  }
  await t.notThrowsAsync(until(ended, 'pasta to end', 5000))
  await t.throwsAsync(httpGet(port), undefined, 'the port is closed with the container')
  // containers.conf picks slirp4netns instead; info says which and why
  const conf = `${box.dir}/containers.conf`
  fs.writeFileSync(conf, '[network]\ndefault_rootless_network_cmd = "slirp4netns"\n')
  fs.chmodSync(conf, 0o644)
  const info = await tspod(box, ['info', '--format', '{{.Host.RootlessNetworkCmd}}|{{.Host.RootlessNetworkCmdReason}}'], {env: {CONTAINERS_CONF: conf}})
  t.is(info.stdout, `slirp4netns|default_rootless_network_cmd = "slirp4netns" in ${conf}\n`)
})

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

test('/etc/hosts, /etc/hostname and /etc/resolv.conf per network, as Podman 4.3 writes them', async (t) => {
  const box = await sandboxWithImages(t)
  // the host's entries first, one tab after the address; then what is missing of localhost,
  // host.containers.internal and the container's own names
  const base = fs.readFileSync('/etc/hosts', 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)).filter((f) => f.length > 1)
  const taken = new Set(base.flatMap((f) => f.slice(1)))
  const hostIP = hostContainersInternalIP()
  const expectedHosts = (own: string | undefined, names: string[]) =>
    [
      ...base.map((f) => `${f[0]}\t${f.slice(1).join(' ')}`),
      ...(taken.has('localhost') ? [] : ['127.0.0.1\tlocalhost', '::1\tlocalhost']),
      ...(hostIP && !taken.has('host.containers.internal') ? [`${hostIP}\thost.containers.internal`] : []),
      ...(own ? [`${own}\t${names.join(' ')}`] : []),
    ].join('\n') + '\n'
  const script = 'cat /etc/hosts; echo =; cat /etc/hostname; echo =; hostname; cat /etc/resolv.conf 2>&1 | head -1'
  const none = await ok(box, ['run', '--rm', '--network', 'none', '--name', 'quiet', 'busybox', 'sh', '-c', script])
  const [hostsNone, hostnameNone, restNone] = none.split('=\n')
  t.regex(hostnameNone, /^[0-9a-f]{12}$/, 'written without a newline')
  t.is(hostsNone, expectedHosts('127.0.0.1', [hostnameNone, 'quiet']))
  t.is(restNone, `${hostnameNone}\ncat: can't open '/etc/resolv.conf': No such file or directory\n`, 'no resolv.conf without a network')

  const host = await ok(box, ['run', '--rm', '--network', 'host', '--name', 'hosted', 'busybox', 'sh', '-c', script])
  // the host's network: the host's names and resolv.conf, no entry of the container's own
  t.regex(host, new RegExp(`^${escape(`${expectedHosts(undefined, [])}=\n${os.hostname()}=\n${os.hostname()}\n`)}nameserver \\S+\n$`))
  t.is(await ok(box, ['run', '--rm', '--network', 'host', '--hostname', 'mine', 'busybox', 'hostname']), 'mine\n')
})

test('--add-host, --no-hosts, --dns, --dns-search, --dns-option and /etc/mtab, with Podman\'s files and messages', async (t) => {
  const box = await sandboxWithImages(t)
  const hosts = await ok(box, ['run', '--rm', '--network', 'none', '--add-host', 'foo:10.1.1.1', '--add-host', 'v6:::1', 'busybox', 'cat', '/etc/hosts'])
  t.true(hosts.startsWith('10.1.1.1\tfoo\n::1\tv6\n'), hosts)
  const dns = ['--dns', '1.1.1.1', '--dns', '9.9.9.9', '--dns-search', 'example.com', '--dns-option', 'ndots:2']
  const resolv = 'search example.com\nnameserver 1.1.1.1\nnameserver 9.9.9.9\noptions ndots:2\n'
  t.is(await ok(box, ['run', '--rm', ...dns, 'busybox', 'cat', '/etc/resolv.conf']), resolv)
  // --dns-opt: Podman's old name for --dns-option, still accepted
  t.is(await ok(box, ['run', '--rm', '--network', 'host', ...dns.slice(0, -2), '--dns-opt', 'ndots:2', 'busybox', 'cat', '/etc/resolv.conf']), resolv)
  t.is(await ok(box, ['run', '--rm', '--dns', '1.1.1.1', '--dns-search', '.', 'busybox', 'cat', '/etc/resolv.conf']), 'nameserver 1.1.1.1\n')
  // --no-hosts: the image's /etc/hosts (busybox has none); every container gets /etc/mtab
  t.is(await ok(box, ['run', '--rm', '--no-hosts', '--network', 'none', 'busybox', 'sh', '-c', 'ls /etc; readlink /etc/mtab']), 'group\nhostname\nmtab\npasswd\n/proc/mounts\n')

  const refused: [string[], string][] = [
    [['--add-host', 'foo'], 'bad format for add-host: "foo"'],
    [['--add-host', 'foo:notip'], 'invalid IP address in add-host: "notip"'],
    [['--add-host', 'foo:1.1.1.1', '--no-hosts'], '--no-hosts and --add-host cannot be set together'],
    [['--dns', 'notanip'], 'notanip is not an ip address'],
    [['--network', 'none', '--dns-search', 'x.com'], 'conflicting options: dns and the network mode: none'],
  ]
  for (const [flags, message] of refused) {
    const r = await tspod(box, ['run', '--rm', ...flags, 'busybox', 'true'])
    t.deepEqual([r.code, r.stderr], [125, `Error: ${message}\n`], flags.join(' '))
  }
  t.is(await ok(box, ['ps', '-a', '-q']), '', 'nothing was created')
})

test('--runtime crun runs the same container as the native runtime: same output and exit codes', async (t) => {
  const box = await sandboxWithImages(t)
  const scenarios: string[][] = [
    ['sh', '-c', 'id; cat /proc/self/uid_map /proc/self/setgroups; hostname; pwd'],
    ['--user', '1234', '-e', 'TEST=here', 'sh', '-c', 'id -u; echo $TEST'],
    ['-w', '/tmp', 'sh', '-c', 'pwd; exit 3'],
    ['-w', '/i/do/not/exist', 'pwd'],
    ['/no/such/command'],
    ['/etc'],
  ]
  for (const args of scenarios) {
    const flags = args[0].startsWith('-') ? args.slice(0, args.findIndex((a, i) => i % 2 === 0 && !a.startsWith('-'))) : []
    const command = args.slice(flags.length)
    const native = await tspod(box, ['run', '--rm', '--hostname', 'same', ...flags, 'busybox', ...command])
    const crun = await tspod(box, ['--runtime', 'crun', 'run', '--rm', '--hostname', 'same', ...flags, 'busybox', ...command])
    t.is(crun.code, native.code, `${args.join(' ')}: ${crun.stderr}`)
    t.is(crun.stdout, native.stdout, args.join(' '))
  }
  await ok(box, ['run', '-d', '--runtime', 'crun', '--name', 'bg', 'busybox', 'sh', '-c', 'echo started; sleep 1000'])
  // sh execs its last command once it has echoed: wait for that exec
  await until(async () => (await ok(box, ['exec', 'bg', 'cat', '/proc/1/cmdline'])) === 'sleep\u00001000\u0000', 'pid 1 to be sleep')
  await ok(box, ['stop', '-t', '1', 'bg'])
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.OCIRuntime}}', 'bg']), 'exited 137 crun\n')
  t.is(await ok(box, ['logs', 'bg']), 'started\n')
  const unknown = await tspod(box, ['run', '--rm', '--runtime', 'nope', 'busybox', 'true'])
  t.is(unknown.code, 125)
  t.is(unknown.stderr, 'Error: default OCI runtime "nope" not found: invalid argument\n')
  t.is(await ok(box, ['info', '--runtime', 'crun', '--format', '{{.Host.OCIRuntime.Name}}']), 'crun\n')
})

test('--init runs catatonit as pid 1; --userns=keep-id runs as the user\'s own uid; top lists the processes', async (t) => {
  const box = await sandboxWithImages(t)
  t.is(await ok(box, ['run', '--rm', '--init', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; echo $PPID']), '/run/podman-init -- sh -c cat /proc/1/cmdline | tr "\\0" " "; echo; echo $PPID \n1\n')
  t.is((await tspod(box, ['run', '--rm', '--init', 'busybox', 'sh', '-c', 'exit 7'])).code, 7)
  t.is(await ok(box, ['run', '--rm', '--userns=keep-id', 'busybox', 'id', '-u']), `${box.user.uid}\n`)
  await ok(box, ['run', '-d', '--name', 'topped', 'busybox', 'sleep', '1000'])
  const top = (await ok(box, ['top', 'topped', 'pid', 'user', 'args'])).split('\n')
  t.regex(top[0], /^PID +USER +COMMAND$/)
  t.regex(top[1], /^1 +root +sleep 1000$/)
  await ok(box, ['rm', '-f', '-t', '0', 'topped'])
  const stopped = await tspod(box, ['top', 'nothere'])
  t.is(stopped.code, 125)
})

test('run -t: what the container writes to its terminal is in its log too', async (t) => {
  const box = await sandboxWithImages(t)
  const r = await runAs(box.user, ['script', '-qec', `${process.execPath} ${TSPOD_BIN} run -t --name tty1 busybox sh -c 'echo on-the-pty'`, '/dev/null'], {env: box.env})
  t.is(r.code, 0, r.stderr)
  t.regex(await ok(box, ['logs', 'tty1']), /^on-the-pty\r?\n$/)
})

test('--pull=never uses only local images, in Podman\'s words when there is none', async (t) => {
  const box = await sandboxWithImages(t)
  t.is(await ok(box, ['run', '--rm', '--pull=never', 'busybox', 'echo', 'local']), 'local\n')
  const missing = await tspod(box, ['create', '--pull', 'never', 'localhost/nothere'])
  t.is(missing.code, 125)
  t.is(missing.stderr, 'Error: localhost/nothere: image not known\n')
})

test('--label: on the container, in inspect and ps, and ps --filter label=', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'lab', '-l', 'tier=web', '--label', 'flag', 'busybox'])
  await ok(box, ['create', '--name', 'plain', 'busybox'])
  t.is(await ok(box, ['inspect', '--format', '{{.Config.Labels.tier}}', 'lab']), 'web\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--filter', 'label=tier=web']), 'lab\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--filter', 'label=flag']), 'lab\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--filter', 'label=tier=db']), '')
})

test('doctor knows the runtime\'s and the volumes\' tables: a store with containers and volumes is healthy', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '-v', 'data:/data', 'busybox'])
  const doctor = await tspod(box, ['doctor', '--check', 'database'])
  t.is(doctor.code, 0, doctor.stdout)
  t.regex(doctor.stdout, /^OK +store database: .*schema pods v1, runtime v3, storage v5, volumes v1 \(known\), every reference resolves\n$/)
})

test('system df counts containers (their upper dirs) and volumes, and what is reclaimable', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '--name', 'writer', '-v', 'vol:/v', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/file bs=1k count=300 2>/dev/null; dd if=/dev/zero of=/v/f bs=1k count=100 2>/dev/null'])
  const df = (await ok(box, ['system', 'df', '--format', '{{.Type}} {{.Total}} {{.Active}} {{.RawSize}} {{.RawReclaimable}}'])).trim().split('\n').map((l) => l.split(' '))
  const [images, containers, volumes] = [df[0], df[1], df[2].slice(1)]
  t.deepEqual(images.slice(0, 3), ['Images', '2', '1'], 'busybox is used by the container, multi is not')
  const perImage = (await ok(box, ['images', '--format', '{{.Repository}} {{.Containers}}'])).trim().split('\n').sort()
  t.deepEqual(perImage, ['localhost/busybox 1', 'localhost/multi 0'])
  t.true(Number(images[4]) > 0 && Number(images[4]) < Number(images[3]))
  t.deepEqual(containers.slice(0, 3), ['Containers', '1', '0'])
  t.true(Number(containers[3]) >= 300 * 1024)
  t.is(containers[4], containers[3], 'an exited container is reclaimable')
  t.deepEqual(volumes.slice(0, 3), ['Volumes', '1', '1'])
  t.true(Number(volumes[3]) >= 100 * 1024)
  t.is(volumes[4], '0', 'a volume a container uses is not reclaimable')
})

test('logs --since and --until pick entries by their time', async (t) => {
  const box = await sandboxWithImages(t)
  // the log stamps a line when it reads it: a loaded machine may read `early` late, so the gap is wide
  await ok(box, ['run', '--name', 'timed', 'busybox', 'sh', '-c', 'echo early; sleep 2.5; echo late'])
  const [early, late] = (await ok(box, ['logs', '-t', 'timed'])).trim().split('\n').map((l) => l.split(' ')[0])
  t.true(Date.parse(late) - Date.parse(early) >= 1000, `${early} .. ${late}`)
  const middle = new Date(Date.parse(early) + 500).toISOString()
  t.is(await ok(box, ['logs', '--since', middle, 'timed']), 'late\n')
  t.is(await ok(box, ['logs', '--until', middle, 'timed']), 'early\n')
  t.is(await ok(box, ['logs', '--since', '10m', 'timed']), 'early\nlate\n')
  const bad = await tspod(box, ['logs', '--since', 'yesterday', 'timed'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: failed to parse value as time or duration: "yesterday"\n')
})

test('rename: a unique new name, in Podman\'s words when it is taken', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['create', '--name', 'before', 'busybox'])).trim()
  await ok(box, ['create', '--name', 'other', 'busybox'])
  t.is(await ok(box, ['rename', 'before', 'after']), '')
  t.is(await ok(box, ['inspect', '--format', '{{.Id}} {{.Name}}', 'after']), `${id} after\n`)
  t.is((await tspod(box, ['container', 'exists', 'before'])).code, 1)
  const taken = await tspod(box, ['rename', 'after', 'other'])
  t.is(taken.code, 125)
  t.regex(taken.stderr, /the container name "other" is already in use by [0-9a-f]{64}/)
})

test('run -di keeps the container\'s stdin open (an idle shell stays up); without -i it reads EOF and ends', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-di', '--name', 'open', 'busybox', 'sh'])
  await ok(box, ['run', '-d', '--name', 'closed', 'busybox', 'sh'])
  t.is(await ok(box, ['wait', 'closed']), '0\n')
  t.is(await ok(box, ['exec', 'open', 'echo', 'still-up']), 'still-up\n')
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}}', 'open']), 'running\n')
  await ok(box, ['rm', '-f', '-t', '0', 'open'])
})

test('wait on a --rm container answers with its exit code after it is gone, as Podman keeps it', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--rm', '--name', 'brief', 'busybox', 'sh', '-c', 'sleep 0.5; exit 5'])
  for (let i = 0; i < 200 && (await tspod(box, ['container', 'exists', 'brief'])).code === 0; i++) await new Promise((r) => setTimeout(r, 100))
  t.is((await tspod(box, ['container', 'exists', 'brief'])).code, 1, 'removed once it ended')
  t.is(await ok(box, ['wait', 'brief']), '5\n')
  const unknown = await tspod(box, ['wait', 'never-was'])
  t.is(unknown.code, 125)
})
