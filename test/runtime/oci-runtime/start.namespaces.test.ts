// @userns
// Namespaces the external runtime (crun, runc) is handed by path or nested, end to end through
// the CLI as the rootless user: named networks (netavark's netns in the rootless netns, joined
// by crun), --network container:X and pods (the donor's user namespace joined, its other
// namespaces given by path), --userns=nomap and auto (a user namespace nested in the store's,
// the store's dirs made searchable as Podman makes them).
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, sandboxWithImages} from '../../helpers/image-sandbox'
import {idMapLines as maps, tspod, tspodOk as ok} from '../../helpers/rootless'

// serial: the named-network test shares the user's rootless netns with other test files' containers
test.serial('--runtime crun and runc on a named network: each gets its address, the two resolve each other through aardvark-dns and talk over TCP', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  await ok(box, ['network', 'create', '--subnet', '10.123.41.0/24', 'ocinet'])
  await ok(box, ['--runtime', 'crun', 'run', '-d', '--name', 'srv', '--network', 'ocinet', 'busybox', 'sh', '-c', 'while true; do echo "hello from $(hostname)" | nc -l -p 7000; done'])
  const srvIp = (await ok(box, ['inspect', '--format', '{{.NetworkSettings.Networks.ocinet.IPAddress}}', 'srv'])).trim()
  t.regex(srvIp, /^10\.123\.41\.\d+$/)
  for (const runtime of ['crun', 'runc']) {
    const out = await ok(box, ['--runtime', runtime, 'run', '--rm', '--name', `client-${runtime}`, '--network', 'ocinet', 'busybox', 'sh', '-c',
      'ip -4 addr show eth0 | grep -o "inet [0-9./]*"; head -2 /etc/resolv.conf; for i in $(seq 20); do nslookup srv >/dev/null 2>&1 && break; sleep 0.3; done; nslookup srv | grep -c "Address: ' + srvIp + '"; for i in $(seq 20); do nc srv 7000 </dev/null 2>/dev/null && break; sleep 0.5; done'])
    const [addr, search, nameserver, resolved, hello] = out.trim().split('\n')
    t.regex(addr, /^inet 10\.123\.41\.\d+\/24$/, runtime)
    t.not(addr, `inet ${srvIp}/24`, runtime)
    t.deepEqual([search, nameserver, resolved], ['search dns.podman', 'nameserver 10.123.41.1', '1'], runtime)
    t.regex(hello, /^hello from [0-9a-f]{12}$/, runtime)
  }
  // and the server resolves a client while it runs
  await ok(box, ['--runtime', 'crun', 'run', '-d', '--name', 'peer', '--network', 'ocinet', 'busybox', 'sleep', '100'])
  t.regex(await ok(box, ['exec', 'srv', 'sh', '-c', 'for i in $(seq 20); do nslookup peer && break; sleep 0.3; done']), /Address: 10\.123\.41\.\d+/)
  await ok(box, ['rm', '-f', '-t', '0', 'srv', 'peer'])
  await ok(box, ['network', 'rm', 'ocinet'])
})

test.serial('--userns=keep-id and nomap on a named network, natively and with crun: an address, /etc/hosts names it (its file, the container root\'s, written again at start)', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  await ok(box, ['network', 'create', '--subnet', '10.123.42.0/24', 'ocimapped'])
  for (const userns of ['keep-id', 'nomap'])
    for (const runtime of ['tspod', 'crun']) {
      const name = `${userns}-${runtime}`
      const out = await ok(box, ['--runtime', runtime, 'run', '--rm', '--name', name, `--userns=${userns}`, '--network', 'ocimapped', 'busybox', 'sh', '-c', 'ip -4 addr show eth0 | grep -o "inet [0-9./]*"; grep -c "[[:space:]]' + name + '$" /etc/hosts'])
      t.regex(out, /^inet 10\.123\.42\.\d+\/24\n1\n$/, name)
    }
  await ok(box, ['network', 'rm', 'ocimapped'])
})

test('--runtime crun joins a donor\'s namespaces: --network container:X (native or crun donor) and a pod', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const script = 'ip -o link | cut -d" " -f2 | tr "\\n" " "; readlink /proc/self/ns/net /proc/self/ns/uts; hostname'
  for (const donorRuntime of ['tspod', 'crun']) {
    const donor = (await ok(box, ['--runtime', donorRuntime, 'run', '-d', 'busybox', 'sleep', '100'])).trim()
    const inDonor = await ok(box, ['exec', donor, 'sh', '-c', script])
    const joined = await ok(box, ['--runtime', 'crun', 'run', '--rm', '--network', `container:${donor}`, '--uts', `container:${donor}`, 'busybox', 'sh', '-c', script])
    t.is(joined, inDonor, `donor run by ${donorRuntime}`)
  }
  await ok(box, ['pod', 'create', '--name', 'ocipod'])
  await ok(box, ['--runtime', 'crun', 'run', '-d', '--pod', 'ocipod', '--name', 'member', 'busybox', 'sh', '-c', 'echo up | nc -l -p 7100'])
  const out = await ok(box, ['--runtime', 'crun', 'run', '--rm', '--pod', 'ocipod', 'busybox', 'sh', '-c', 'hostname; for i in $(seq 20); do nc 127.0.0.1 7100 </dev/null 2>/dev/null && break; sleep 0.3; done'])
  t.is(out, 'ocipod\nup\n')
  await ok(box, ['pod', 'rm', '-f', '-t', '0', 'ocipod'])
})

test('--runtime crun and runc with --userns=nomap and auto: the maps the native runtime gives, the image\'s owners, the store\'s dirs made searchable', async (t) => {
  const box = await sandboxWithImages(t)
  const script = 'cat /proc/self/uid_map; echo; cat /proc/self/gid_map; echo; id -u; stat -c "%u:%g %n" /bin/busybox /home/user; touch /etc/new && echo wrote'
  for (const userns of ['nomap', 'auto']) {
    const native = await ok(box, ['run', '--rm', `--userns=${userns}`, 'localhost/multi', 'sh', '-c', script])
    for (const runtime of ['crun', 'runc']) {
      const r = await tspod(box, ['--runtime', runtime, 'run', '--rm', `--userns=${userns}`, 'localhost/multi', 'sh', '-c', script])
      t.deepEqual([r.code, r.stdout, r.stderr], [0, native, ''], `${runtime} --userns=${userns}`)
    }
    const [uidMap, gidMap, rest] = native.split('\n\n')
    t.is(maps(uidMap)[0][1], 1, userns)
    t.is(maps(gidMap)[0][1], 1, userns)
    t.is(rest, '0\n0:0 /bin/busybox\n1234:1234 /home/user\nwrote\n', userns)
  }
  // Podman's makeAccessible: the dirs above the container's root are searchable by all (its own dir stays 0700 inside)
  for (let dir = path.join(graphRoot(box), 'containers'); dir !== box.dir; dir = path.dirname(dir)) t.is(fs.statSync(dir).mode & 0o111, 0o111, dir)
  // a detached one runs under the monitor, exec enters it
  const id = (await ok(box, ['--runtime', 'crun', 'run', '-d', '--userns=nomap', 'localhost/busybox', 'sleep', '100'])).trim()
  t.deepEqual(maps(await ok(box, ['exec', id, 'cat', '/proc/self/uid_map'])), [[0, 1, 65536]])
  await ok(box, ['rm', '-f', '-t', '0', id])
})
