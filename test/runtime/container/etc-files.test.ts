// @userns
// /etc/hosts and /etc/resolv.conf of containers off named networks, as the rootless user: written
// again at each start from containers.conf as it is then (as Podman's init does), with the
// container's own --dns kept; a user's bind mount over one of them stays theirs; a container
// joining another's network sees its donor's files.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../../helpers/image-sandbox'
import {Sandbox, tspod, tspodOk as ok} from '../../helpers/rootless'

function writeFile(box: Sandbox, name: string, text: string): string {
  const file = path.join(box.dir, name)
  fs.writeFileSync(file, text, {mode: 0o644})
  fs.chownSync(file, box.user.uid, box.user.gid)
  return file
}

const SHOW = 'cat /etc/resolv.conf 2>/dev/null; echo ---; cat /etc/hosts'

test('each start writes /etc/resolv.conf and /etc/hosts again from containers.conf as it is then; --dns, a user\'s own mount and a donor\'s files stay', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
  const base = writeFile(box, 'hosts', '10.11.12.13 basehost\n')
  const plain = writeFile(box, 'plain.conf', '[containers]\nhost_containers_internal_ip = "10.20.30.40"\n')
  const changed = writeFile(box, 'changed.conf', `[containers]\ndns_servers = ["192.0.2.53"]\nbase_hosts_file = "${base}"\nhost_containers_internal_ip = "10.20.30.40"\n`)
  const mine = writeFile(box, 'my-resolv.conf', 'nameserver 198.51.100.1\n')
  const before = {CONTAINERS_CONF: plain}
  const after = {CONTAINERS_CONF: changed}

  for (const network of ['slirp4netns', 'pasta', 'host', 'none'])
    await ok(box, ['create', '--name', `c-${network}`, '--hostname', 'box', '--network', network, 'busybox', 'sh', '-c', SHOW], {env: before})
  await ok(box, ['create', '--name', 'c-dns', '--network', 'slirp4netns', '--dns', '203.0.113.9', 'busybox', 'cat', '/etc/resolv.conf'], {env: before})
  await ok(box, ['create', '--name', 'c-mine', '--network', 'slirp4netns', '-v', `${mine}:/etc/resolv.conf:ro`, 'busybox', 'cat', '/etc/resolv.conf'], {env: before})
  t.is(await ok(box, ['start', '-a', 'c-mine'], {env: before}), 'nameserver 198.51.100.1\n', 'the user\'s own file, not tspod\'s')

  const started = async (name: string) => (await ok(box, ['start', '-a', name], {env: after})).split('---\n')
  const hostsOf = (address?: string) => `10.11.12.13\tbasehost\n127.0.0.1\tlocalhost\n::1\tlocalhost\n10.20.30.40\thost.containers.internal\n${address ? `${address}\tbox c-` : ''}`
  const [slirpResolv, slirpHosts] = await started('c-slirp4netns')
  t.is(slirpResolv, 'nameserver 192.0.2.53\n', 'containers.conf\'s server replaces slirp4netns\' and the host\'s')
  t.is(slirpHosts, `${hostsOf('10.0.2.100')}slirp4netns\n`)
  const [pastaResolv, pastaHosts] = await started('c-pasta')
  t.is(pastaResolv, 'nameserver 192.0.2.53\n')
  t.true(pastaHosts.startsWith(hostsOf()), pastaHosts)
  const [hostResolv, hostHosts] = await started('c-host')
  t.is(hostResolv, 'nameserver 192.0.2.53\n')
  t.is(hostHosts, hostsOf())
  const [noneResolv, noneHosts] = await started('c-none')
  t.is(noneResolv, '', '--network none gets no /etc/resolv.conf')
  t.is(noneHosts, `${hostsOf('127.0.0.1')}none\n`)
  t.is(await ok(box, ['start', '-a', 'c-dns'], {env: after}), 'nameserver 192.0.2.53\nnameserver 203.0.113.9\n', 'containers.conf\'s servers first, then --dns')
  t.is(await ok(box, ['start', '-a', 'c-mine'], {env: after}), 'nameserver 198.51.100.1\n')

  // back to the first settings: the next start follows them again
  t.notRegex((await ok(box, ['start', '-a', 'c-slirp4netns'], {env: before})).split('---\n')[1], /basehost/)

  // a container joining another's network sees the donor's files, written at the donor's start
  await ok(box, ['run', '-d', '--name', 'donor', '--network', 'slirp4netns', 'busybox', 'sleep', '300'], {env: after})
  t.is(await ok(box, ['run', '--rm', '--network', 'container:donor', 'busybox', 'cat', '/etc/resolv.conf'], {env: before}), 'nameserver 192.0.2.53\n')
})
