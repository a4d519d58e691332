// `tspod network …` end to end as the rootless user: netavark configs as Podman 4 writes them,
// with Podman's output, errors and exit codes.
import test from 'ava'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'

import {graphRoot, sandboxWithImages} from '../helpers/image-sandbox'
import {until} from '../helpers/processes'
import {TEST_USER, lookupUser, removeTree, sandbox, tspod, tspodOk} from '../helpers/rootless'

const user = lookupUser(TEST_USER)

test('network create, ls, inspect, exists, rm and prune, as netavark configs in Podman words', async (t) => {
  const box = sandbox(user)
  t.teardown(() => removeTree(box.dir))
  const run = async (args: string[]) => {
    const r = await tspod(box, args)
    return [r.code, r.stdout, r.stderr] as const
  }
  t.deepEqual(await run(['network', 'ls']), [0, 'NETWORK ID    NAME        DRIVER\n2f259bab93aa  podman      bridge\n', ''])
  t.deepEqual(await run(['network', 'create', '--label', 'env=dev', 'one']), [0, 'one\n', ''])
  t.deepEqual(await run(['network', 'create', '--subnet', '10.99.0.5/24', '--ip-range', '10.99.0.128/25', '--internal', '--disable-dns', '--ipv6', '-o', 'mtu=1400', 'two']), [0, 'two\n', ''])

  // the config files, byte for byte in Podman's layout (five-space JSON, keys in its order)
  const dir = path.join(graphRoot(box), 'networks')
  t.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort(), ['one.json', 'two.json'])
  const one = JSON.parse(fs.readFileSync(path.join(dir, 'one.json'), 'utf8'))
  t.deepEqual(Object.keys(one), ['name', 'id', 'driver', 'network_interface', 'created', 'subnets', 'ipv6_enabled', 'internal', 'dns_enabled', 'labels', 'ipam_options'])
  t.like(one, {name: 'one', driver: 'bridge', network_interface: 'podman1', ipv6_enabled: false, internal: false, dns_enabled: true, labels: {env: 'dev'}, ipam_options: {driver: 'host-local'}})
  t.deepEqual(one.subnets, [{subnet: '10.89.0.0/24', gateway: '10.89.0.1'}])
  t.regex(one.id, /^[0-9a-f]{64}$/)
  t.regex(fs.readFileSync(path.join(dir, 'one.json'), 'utf8'), /^\{\n {5}"name": "one",\n/)
  const two = JSON.parse(fs.readFileSync(path.join(dir, 'two.json'), 'utf8'))
  t.is(two.subnets[0].subnet, '10.99.0.0/24')
  t.deepEqual(two.subnets[0], {subnet: '10.99.0.0/24', lease_range: {start_ip: '10.99.0.129', end_ip: '10.99.0.255'}}, 'internal: no gateway')
  t.regex(two.subnets[1].subnet, /^fd[0-9a-f]{2}:[0-9a-f:]+::\/64$/)
  t.like(two, {ipv6_enabled: true, internal: true, dns_enabled: false, options: {mtu: '1400'}})

  // the next auto subnet skips the used one; no name: the first free podmanN
  t.deepEqual(await run(['network', 'create']), [0, 'podman3\n', ''])
  t.is((await run(['network', 'inspect', '--format', '{{.Name}} {{.NetworkInterface}} {{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}', 'podman3']))[1], 'podman3 podman3 10.89.1.0/24 10.89.1.1\n')

  t.deepEqual(await run(['network', 'ls', '--format', '{{.Name}} {{.Labels}}', '--filter', 'label=env=dev']), [0, 'one env=dev\n', ''])
  t.deepEqual(await run(['network', 'ls', '-q']), [0, 'one\npodman\npodman3\ntwo\n', ''], 'by name, as Podman lists them')
  t.deepEqual(await run(['network', 'ls', '-q', '--filter', 'name=^p']), [0, 'podman\npodman3\n', ''])
  t.deepEqual(await run(['network', 'ls', '--noheading', '--no-trunc', '--filter', 'driver=bridge', '--filter', 'name=one']), [0, `${one.id}  one         bridge\n`, ''])
  t.deepEqual((await run(['network', 'ls', '-f', 'colour=red'])).slice(0, 3), [125, '', 'Error: invalid filter "colour"\n'])
  const inspected = JSON.parse((await run(['network', 'inspect', 'one', one.id.slice(0, 10)]))[1])
  t.deepEqual(inspected, [one, one])
  t.deepEqual(await run(['network', 'exists', 'two']), [0, '', ''])
  t.deepEqual(await run(['network', 'exists', 'nope']), [1, '', ''])

  // Podman's errors and exit codes
  const refused: [string[], string][] = [
    [['network', 'create', 'one'], 'network name one already used: network already exists'],
    [['network', 'create', 'bad/name'], 'network name bad/name invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument'],
    [['network', 'create', '-d', 'foo', 'x'], 'unsupported driver foo: invalid argument'],
    [['network', 'create', '--subnet', '10.89.0.0/24', 'x'], 'subnet 10.89.0.0/24 is already used on the host or by another config'],
    [['network', 'create', '--gateway', '10.1.0.1', 'x'], 'cannot set gateway or range without subnet'],
    [['network', 'create', '--subnet', '10.5.0.0/24', '--gateway', '10.6.0.1', 'x'], 'gateway 10.6.0.1 not in subnet 10.5.0.0/24'],
    [['network', 'create', '-o', 'foo=bar', 'x'], 'unsupported bridge network option foo'],
    [['network', 'rm', 'podman'], 'default network podman cannot be removed'],
    [['network', 'inspect', 'nope'], 'inspecting object: network nope: unable to find network with name or ID nope: network not found'],
  ]
  for (const [args, message] of refused) {
    const [code, , stderr] = await run(args)
    t.deepEqual([code, stderr], [125, `Error: ${message}\n`], args.join(' '))
  }
  t.deepEqual(await run(['network', 'rm', 'nope']), [1, '', 'Error: unable to find network with name or ID nope: network not found\n'])
  t.deepEqual(await run(['network', 'rm', '-f', 'nope', 'two']), [0, 'two\n', ''])
  t.deepEqual(await run(['network', 'prune', '-f', '--filter', 'label=env=dev']), [0, 'one\n', ''])
  t.deepEqual(await run(['network', 'prune', '-f']), [0, 'podman3\n', ''])
  t.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.json')), [])
})

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\S+ \(.*\) [ZX]/.test(stat)
  } catch {
    return false
  }
}

/** What a TCP server on the host's 127.0.0.1:port sends before it closes, retried while it refuses. */
async function readFromHost(port: number): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = []
        const socket = net.connect({host: '127.0.0.1', port})
        socket.on('data', (c) => chunks.push(c))
        socket.on('error', reject)
        socket.on('end', () => (chunks.length > 0 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error('closed without data'))))
      })
    } catch (err) {
      if (i >= 20) throw err
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

// serial: the tests below share the user's rootless netns, whose end one of them asserts
test.serial('--network NAME: containers reach each other by name and alias over TCP through aardvark-dns, -p reaches one from the host, --internal has no way out, rm -f leaves nothing running', async (t) => {
  const box = await sandboxWithImages(t)
  // a failure midway must not leave containers holding the user's rootless netns (ava runs teardowns last first)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const ok = (args: string[]) => tspodOk(box, args)
  await ok(['network', 'create', '--subnet', '10.123.7.0/24', 'appnet'])
  await ok(['network', 'create', '--internal', 'closed'])
  // the server listens again after each connection: the client retries a refused one
  await ok(['run', '-d', '--name', 'db', '--network', 'appnet', '--network-alias', 'database', '-p', '127.0.0.1::5432', 'busybox', 'sh', '-c', 'while true; do echo "hello from $(hostname)" | nc -l -p 5432; done'])
  const [mode, settings] = (await ok(['inspect', '--format', '{{.HostConfig.NetworkMode}}|{{json .NetworkSettings.Networks}}', 'db'])).trim().split('|')
  t.is(mode, 'bridge')
  // addresses are leased from the user's run root, which the test sandboxes of one user share
  const dbIp = JSON.parse(settings).appnet.IPAddress as string
  t.regex(dbIp, /^10\.123\.7\.([2-9]|[1-9]\d+)$/)
  t.like(JSON.parse(settings), {appnet: {IPPrefixLen: 24, Gateway: '10.123.7.1', NetworkID: 'appnet', Aliases: [(await ok(['inspect', '--format', '{{.Id}}', 'db'])).slice(0, 12), 'database']}})
  t.regex(JSON.parse(settings).appnet.MacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
  const runRoot = (await ok(['info', '--format', '{{.Store.RunRoot}}'])).trim()
  const state = JSON.parse(fs.readFileSync(path.join(runRoot, 'networks', 'rootless-netns.json'), 'utf8')) as {holder: {pid: number}; slirp4netns: {pid: number}}
  const aardvark = Number(fs.readFileSync(path.join(runRoot, 'networks', 'aardvark-dns', 'aardvark.pid'), 'utf8'))
  const dbId = (await ok(['inspect', '--format', '{{.Id}}', 'db'])).trim()
  const forwarder = (JSON.parse(fs.readFileSync(path.join(runRoot, 'networks', 'ports', `${dbId}.json`), 'utf8')) as {pid: number}).pid

  // -p on a named network: the host port (picked) reaches the container through the port forwarder
  const published = (await ok(['port', 'db', '5432'])).trim()
  t.regex(published, /^127\.0\.0\.1:\d+$/)
  const fromHost = await readFromHost(Number(published.split(':')[1]))
  t.regex(fromHost, /^hello from [0-9a-f]{12}\n$/)

  const client = await ok(['run', '--rm', '--network', 'appnet:alias=client', 'busybox', 'sh', '-c',
    'ip -4 addr show eth0 | grep -o "inet [0-9./]*"; head -2 /etc/resolv.conf; ip route | grep -c "^default via 10.123.7.1"; for h in db database; do for i in $(seq 20); do nc $h 5432 </dev/null 2>/dev/null && break; sleep 0.5; done; done'])
  const [addr, search, nameserver, defaults, byName, byAlias] = client.trim().split('\n')
  t.regex(addr, /^inet 10\.123\.7\.\d+\/24$/)
  t.not(addr, `inet ${dbIp}/24`)
  t.deepEqual([search, nameserver, defaults], ['search dns.podman', 'nameserver 10.123.7.1', '1'])
  t.regex(byName, /^hello from [0-9a-f]{12}$/)
  t.is(byAlias, byName)

  const internal = await ok(['run', '--rm', '--network', 'closed', 'busybox', 'sh', '-c', 'ip route | grep -c default; nc -w 2 10.0.2.2 53 </dev/null 2>&1; echo rc=$?'])
  t.regex(internal, /^0\n.*unreachable.*\nrc=1\n$/s)

  const inUse = await tspod(box, ['network', 'rm', 'appnet'])
  t.deepEqual([inUse.code, inUse.stderr], [2, 'Error: "appnet" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used\n'])
  t.is(await ok(['network', 'rm', '-f', '-t', '0', 'appnet', 'closed']), 'appnet\nclosed\n')
  t.is(await ok(['ps', '-a', '-q']), '')
  for (const [what, pid] of [['the rootless netns holder', state.holder.pid], ['slirp4netns', state.slirp4netns.pid], ['aardvark-dns', aardvark], ['the port forwarder', forwarder]] as const)
    await t.notThrowsAsync(until(() => !alive(pid), `${what} (${pid}) to end`, 5000))
  t.false(fs.existsSync(path.join(runRoot, 'networks', 'rootless-netns.json')))
  t.deepEqual(fs.readdirSync(path.join(runRoot, 'networks', 'netns')), [])
})

test.serial('network connect and disconnect, stopped and running, as Podman: interfaces and DNS names follow; reload sets them up again; errors in its words', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const ok = (args: string[]) => tspodOk(box, args)
  await ok(['network', 'create', '--subnet', '10.123.8.0/24', 'front'])
  await ok(['network', 'create', '--subnet', '10.123.9.0/24', 'back'])
  await ok(['run', '-d', '--name', 'srv', '--network', 'front', 'busybox', 'sh', '-c', 'while true; do echo hi | nc -l -p 80; done'])
  await ok(['create', '--name', 'cli', '--network', 'back', 'busybox', 'sleep', '1000'])
  // stopped: on the network from its next start, with the alias
  t.is(await ok(['network', 'connect', '--alias', 'other', 'front', 'cli']), '')
  t.is(await ok(['network', 'connect', 'front', 'cli']), '', 'already connected: nothing to do')
  await ok(['start', 'cli'])
  const probe = 'ip -4 -o addr | grep -o "eth[0-9] *inet [0-9.]*" | tr -s " " | sort; for i in $(seq 10); do nc srv 80 </dev/null 2>/dev/null && break; sleep 0.3; done; nc -w 1 srv 80 </dev/null 2>&1 | grep -c "bad address"; true'
  t.regex(await ok(['exec', 'cli', 'sh', '-c', probe]), /^eth0 inet 10\.123\.9\.\d+\neth1 inet 10\.123\.8\.\d+\nhi\n0\n$/)
  t.regex(await ok(['exec', 'srv', 'sh', '-c', 'for i in $(seq 10); do nslookup other && break; sleep 0.3; done']), /Address: 10\.123\.8\.\d+/)
  // running: the interface goes now, and the names with it
  await ok(['network', 'disconnect', 'front', 'cli'])
  t.regex(await ok(['exec', 'cli', 'sh', '-c', probe]), /^eth0 inet 10\.123\.9\.\d+\n1\n$/)
  t.is(await ok(['inspect', '--format', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', 'cli']), 'back \n')
  await ok(['network', 'connect', '--ip', '10.123.8.77', 'front', 'cli'])
  const id = (await ok(['inspect', '--format', '{{.Id}}', 'cli'])).trim()
  const macs = "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.MacAddress}} {{end}}"
  const before = await ok(['inspect', '--format', macs, 'cli'])
  t.is(await ok(['network', 'reload', 'cli']), `${id}\n`)
  t.is(await ok(['inspect', '--format', macs, 'cli']), before, 'the same MAC addresses')
  t.regex(await ok(['exec', 'cli', 'sh', '-c', probe]), /^eth0 inet 10\.123\.9\.\d+\neth1 inet 10\.123\.8\.77\nhi\n0\n$/)

  const refused: [string[], string][] = [
    [['network', 'disconnect', 'back', 'srv'], `container ${(await ok(['inspect', '--format', '{{.Id}}', 'srv'])).trim()} is not connected to network back`],
    [['network', 'connect', 'nope', 'cli'], 'unable to find network with name or ID nope: network not found'],
    [['network', 'connect', 'front', 'nope'], 'no container with name or ID "nope" found: no such container'],
    [['network', 'reload'], 'you must provide at least one name or id'],
  ]
  for (const [args, message] of refused) {
    const r = await tspod(box, args)
    t.deepEqual([r.code, r.stderr], [125, `Error: ${message}\n`], args.join(' '))
  }
  await ok(['create', '--name', 'alone', '--network', 'slirp4netns', 'busybox', 'true'])
  const slirp = await tspod(box, ['network', 'connect', 'front', 'alone'])
  t.deepEqual([slirp.code, slirp.stderr], [125, 'Error: "slirp4netns" is not supported: invalid network mode\n'])
  t.is(await ok(['network', 'rm', '-f', '-t', '0', 'front', 'back']), 'front\nback\n')
  t.is(await ok(['ps', '-a', '--format', '{{.Names}}']), 'alone\n', 'rm -f removed the containers on them')
})

/** Whether a TCP connection to the host's 127.0.0.1:port gets data: one try, no retries. */
async function answersOnHost(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let got = false
    const socket = net.connect({host: '127.0.0.1', port})
    socket.setTimeout(3000, () => socket.destroy())
    socket.on('data', () => (got = true))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(got))
  })
}

test.serial('network disconnect and connect of a running container with -p: a new address and MAC, the published port follows it, DNS and /etc/hosts too; a second network keeps it when the first goes', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const ok = (args: string[]) => tspodOk(box, args)
  await ok(['network', 'create', '--subnet', '10.123.10.0/24', 'first'])
  await ok(['network', 'create', '--subnet', '10.123.11.0/24', 'second'])
  await ok(['run', '-d', '--name', 'web', '--network', 'first', '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', 'while true; do echo hi | nc -l -p 80; done'])
  await ok(['run', '-d', '--name', 'peer', '--network', 'first', 'busybox', 'sleep', '1000'])
  const port = Number((await ok(['port', 'web', '80'])).trim().split(':')[1])
  const address = async (network: string) => (await ok(['inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").IPAddress}} {{(index .NetworkSettings.Networks "${network}").MacAddress}}`, 'web'])).trim().split(' ')
  // aardvark-dns reloads its config when netavark signals it: ask again until it answers
  const resolved = (name: string) =>
    ok(['exec', 'peer', 'sh', '-c', `for i in $(seq 20); do a=$(nslookup ${name} 2>/dev/null | sed -n 's/^Address: //p' | tail -1); [ -n "$a" ] && break; sleep 0.25; done; echo "$a"`])
  t.is(await readFromHost(port), 'hi\n')
  const [ip, mac] = await address('first')
  t.is((await resolved('web')).trim(), ip)

  t.is(await ok(['network', 'disconnect', 'first', 'web']), '')
  t.false(await answersOnHost(port), 'no address: the published port answers nothing')
  t.notRegex(await ok(['exec', 'web', 'cat', '/etc/hosts']), new RegExp(`^${ip.replace(/\./g, '\\.')}\\s`, 'm'))

  t.is(await ok(['network', 'connect', 'first', 'web']), '')
  const [newIp, newMac] = await address('first')
  t.not(newIp, ip, 'the next free address, as Podman\'s IPAM hands out')
  t.regex(newIp, /^10\.123\.10\.\d+$/)
  t.not(newMac, mac)
  t.is(await readFromHost(port), 'hi\n', 'the published port follows the container to its new address')
  t.regex(await ok(['exec', 'web', 'cat', '/etc/hosts']), new RegExp(`^${newIp.replace(/\./g, '\\.')}\\s`, 'm'))
  t.is((await resolved('web')).trim(), newIp, 'aardvark-dns answers the new address')

  // a second network: the port stays where it is; the first gone, it moves to the second
  await ok(['network', 'connect', 'second', 'web'])
  t.is(await readFromHost(port), 'hi\n')
  await ok(['network', 'disconnect', 'first', 'web'])
  t.is(await readFromHost(port), 'hi\n', 'the published port moved to the address on the second network')
  t.is(await ok(['network', 'rm', '-f', '-t', '0', 'first', 'second']), 'first\nsecond\n')
})

test.serial('containers.conf dns_servers, dns_searches and dns_options go into resolv.conf before the DNS flags, on slirp4netns, the host\'s network and named networks (in place of aardvark-dns)', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const conf = path.join(box.dir, 'containers.conf')
  fs.writeFileSync(conf, '[containers]\ndns_servers = ["1.1.1.1", "100.100.100.100"]\ndns_searches = ["example.com"]\ndns_options = ["ndots:2"]\n')
  fs.chownSync(conf, box.user.uid, box.user.gid)
  const resolvConf = (args: string[], withConf = true) =>
    tspodOk(box, ['run', '--rm', ...args, 'busybox', 'cat', '/etc/resolv.conf'], withConf ? {env: {CONTAINERS_CONF: conf}} : {})
  const fromConf = 'search example.com\nnameserver 1.1.1.1\nnameserver 100.100.100.100\noptions ndots:2\n'
  t.is(await resolvConf(['--network', 'slirp4netns']), fromConf)
  t.is(await resolvConf(['--network', 'host']), fromConf)
  t.is(
    await resolvConf(['--network', 'slirp4netns', '--dns', '9.9.9.9', '--dns-search', 'foo.com', '--dns-option', 'attempts:3']),
    'search example.com foo.com\nnameserver 1.1.1.1\nnameserver 100.100.100.100\nnameserver 9.9.9.9\noptions ndots:2 attempts:3\n',
  )
  t.is(await resolvConf(['--network', 'slirp4netns', '--dns-search', '.']), 'nameserver 1.1.1.1\nnameserver 100.100.100.100\noptions ndots:2\n')
  await tspodOk(box, ['network', 'create', '--subnet', '10.123.12.0/24', 'confdns'])
  t.is(await resolvConf(['--network', 'confdns']), fromConf, 'the servers given replace aardvark-dns')
  t.regex(await resolvConf(['--network', 'confdns'], false), /^search dns\.podman\nnameserver 10\.123\.12\.1\n/)
  await tspodOk(box, ['network', 'rm', 'confdns'])
})

test.serial('-p with sctp: refused at start in Podman\'s words on named networks, slirp4netns and pasta (none carries sctp), exit 125, the container left created', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  await tspodOk(box, ['network', 'create', '--subnet', '10.123.13.0/24', 'sctpnet'])
  const refusals: [string, string][] = [
    ['sctpnet', 'rootlessport spec was not validated?'],
    ['slirp4netns', 'from slirp4netns while setting up port redirection: map[desc:bad request: add_hostfwd: bad arguments.proto]'],
    ['pasta', "can't forward protocol: sctp"],
  ]
  for (const [network, message] of refusals) {
    const r = await tspod(box, ['run', '--name', `sctp-${network}`, '--network', network, '-p', '127.0.0.1::80/sctp', 'busybox', 'true'])
    t.deepEqual([r.code, r.stderr], [125, `Error: ${message}\n`], network)
    t.is(await tspodOk(box, ['inspect', '--format', '{{.State.Status}}', `sctp-${network}`]), 'created\n', network)
  }
  const runRoot = (await tspodOk(box, ['info', '--format', '{{.Store.RunRoot}}'])).trim()
  t.false(fs.existsSync(path.join(runRoot, 'networks', 'rootless-netns.json')), 'the rootless netns ended with the refusal')
  await tspodOk(box, ['rm', '-a'])
  await tspodOk(box, ['network', 'rm', 'sctpnet'])
})

test('network reload refuses what is not on a named network, in Podman\'s words for each mode', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const run = async (args: string[]) => (await tspodOk(box, args)).trim()
  const ids: Record<string, string> = {}
  for (const network of ['slirp4netns', 'pasta', 'host', 'none']) ids[network] = await run(['run', '-d', '--name', `r-${network}`, '--network', network, 'busybox', 'sleep', '300'])
  ids.joined = await run(['run', '-d', '--name', 'r-joined', '--network', 'container:r-slirp4netns', 'busybox', 'sleep', '300'])
  ids.created = await run(['create', '--name', 'r-created', '--network', 'slirp4netns', 'busybox', 'true'])
  const expected: Record<string, string> = {
    slirp4netns: '"slirp4netns" is not supported: invalid network mode',
    pasta: '"pasta" is not supported: invalid network mode',
    host: `container ${ids.host} network is not configured, refusing to reload: container state improper`,
    none: `container ${ids.none} network is not configured, refusing to reload: container state improper`,
    joined: `container ${ids.joined} network is not configured, refusing to reload: container state improper`,
    created: 'cannot reload network unless container network has been configured: container state improper',
  }
  for (const [name, message] of Object.entries(expected)) {
    const r = await tspod(box, ['network', 'reload', `r-${name}`])
    t.deepEqual([r.code, r.stdout, r.stderr], [125, '', `Error: ${message}\n`], name)
  }
})

test.serial('-d macvlan: created, inspected and removed as Podman writes it; each container\'s eth0 a macvlan with an address of the subnet, reaching another by address (not by name), errors in Podman\'s words', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const ok = (args: string[]) => tspodOk(box, args)
  const refused: [string[], string][] = [
    [['network', 'create', '-d', 'macvlan', 'x'], 'macvlan driver needs at least one subnet specified, DHCP is not yet supported with netavark'],
    [['network', 'create', '-d', 'macvlan', '--subnet', '10.124.0.0/24', '-o', 'parent=nosuch0', 'x'], 'parent interface nosuch0 does not exist'],
    [['network', 'create', '-d', 'macvlan', '--subnet', '10.124.0.0/24', '-o', 'mode=foo', 'x'], 'unknown macvlan mode "foo"'],
    [['network', 'create', '-d', 'macvlan', '--subnet', '10.124.0.0/24', '-o', 'vlan=3', 'x'], 'unsupported macvlan network option vlan'],
    [['network', 'create', '-d', 'macvlan', '--ipam-driver', 'dhcp', 'x'], 'dhcp ipam driver is not yet supported with netavark'],
  ]
  for (const [args, message] of refused) {
    const r = await tspod(box, args)
    t.deepEqual([r.code, r.stderr], [125, `Error: ${message}\n`], args.join(' '))
  }

  t.is(await ok(['network', 'create', '-d', 'macvlan', '--subnet', '10.124.0.0/24', '-o', 'mtu=1400', 'mv']), 'mv\n')
  const [inspected] = JSON.parse(await ok(['network', 'inspect', 'mv']))
  t.deepEqual(Object.keys(inspected), ['name', 'id', 'driver', 'created', 'subnets', 'ipv6_enabled', 'internal', 'dns_enabled', 'options', 'ipam_options'])
  t.like(inspected, {driver: 'macvlan', subnets: [{subnet: '10.124.0.0/24', gateway: '10.124.0.1'}], dns_enabled: true, options: {mtu: '1400'}, ipam_options: {driver: 'host-local'}})
  t.is(await ok(['network', 'ls', '--filter', 'driver=macvlan', '--format', '{{.Name}} {{.Driver}}']), 'mv macvlan\n')

  await ok(['run', '-d', '--name', 'server', '--network', 'mv', 'busybox', 'sh', '-c', 'while true; do echo "hello from $(hostname)" | nc -l -p 8080; done'])
  const settings = JSON.parse(await ok(['inspect', '--format', '{{json .NetworkSettings.Networks}}', 'server']))
  const serverIp = settings.mv.IPAddress as string
  t.regex(serverIp, /^10\.124\.0\.([2-9]|[1-9]\d+)$/)
  t.like(settings.mv, {IPPrefixLen: 24, Gateway: '10.124.0.1', NetworkID: 'mv'})
  const client = await ok(['run', '--rm', '--network', 'mv', 'busybox', 'sh', '-c',
    `ip link show eth0 | grep -o "mtu [0-9]*"; ip -4 addr show eth0 | grep -o "inet [0-9./]*"; ip route | grep "^default"; for i in $(seq 20); do nc -w 2 ${serverIp} 8080 </dev/null 2>/dev/null && break; sleep 0.5; done; nc -w 2 server 8080 </dev/null >/dev/null 2>&1; echo by name: $?`])
  const [mtu, addr, route, byAddress, byName] = client.trim().split('\n')
  t.is(mtu, 'mtu 1400')
  t.regex(addr, /^inet 10\.124\.0\.\d+\/24$/)
  t.not(addr, `inet ${serverIp}/24`)
  t.regex(route, /^default via 10\.124\.0\.1 dev eth0/)
  t.regex(byAddress, /^hello from [0-9a-f]{12}$/)
  t.is(byName, 'by name: 1', 'aardvark-dns serves bridge networks only')

  t.is(await ok(['network', 'rm', '-f', '-t', '0', 'mv']), 'mv\n')
  t.is(await ok(['ps', '-a', '-q']), '')

  // Podman's deprecated --macvlan DEVICE, with its warning
  const old = await tspod(box, ['network', 'create', '--macvlan', 'lo', '--subnet', '10.124.0.0/24', 'oldstyle'])
  t.deepEqual([old.code, old.stdout, old.stderr], [0, 'oldstyle\n', 'WARN[0000] The --macvlan option is deprecated, use `--driver macvlan --opt parent=<device>` instead\n'])
  t.is(await ok(['network', 'inspect', '--format', '{{.Driver}} {{.NetworkInterface}}', 'oldstyle']), 'macvlan lo\n')
  await ok(['network', 'rm', 'oldstyle'])
})
