// /etc/hosts as Podman writes it with containers.conf's base_hosts_file and
// host_containers_internal_ip, the container's own names on pasta's address, and --http-proxy
// (the host's proxy variables, containers.conf's http_proxy), as the rootless user.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {hostContainersInternalIP} from '../../src/runtime/network/hosts-entries'
import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, tspod, tspodOk as ok} from '../helpers/rootless'

function writeConf(box: Sandbox, name: string, text: string): string {
  const file = path.join(box.dir, name)
  fs.writeFileSync(file, text)
  fs.chownSync(file, box.user.uid, box.user.gid)
  return file
}

test('base_hosts_file and host_containers_internal_ip: --add-host, the base file, localhost, the address asked, the own names unless the base has them', async (t) => {
  const box = await sandboxWithImages(t)
  const base = writeConf(box, 'hosts', '10.11.12.13 first\n10.11.12.14 second #a comment\n')
  const conf = writeConf(box, 'containers.conf', `[containers]\nbase_hosts_file = "${base}"\nhost_containers_internal_ip = "10.20.30.40"\n`)
  const env = {CONTAINERS_CONF: conf}
  const hosts = await ok(box, ['run', '--rm', '--network', 'slirp4netns', '--add-host', 'third:10.1.1.1', '--name', 'web', '--hostname', 'webhost', 'busybox', 'cat', '/etc/hosts'], {env})
  t.is(hosts, '10.1.1.1\tthird\n10.11.12.13\tfirst\n10.11.12.14\tsecond\n127.0.0.1\tlocalhost\n::1\tlocalhost\n10.20.30.40\thost.containers.internal\n10.0.2.100\twebhost web\n')
  // the names are the base's already: no entry of the container's own
  const same = await ok(box, ['run', '--rm', '--network', 'slirp4netns', '--name', 'first', '--hostname', 'first', 'busybox', 'cat', '/etc/hosts'], {env})
  t.is(same, '10.11.12.13\tfirst\n10.11.12.14\tsecond\n127.0.0.1\tlocalhost\n::1\tlocalhost\n10.20.30.40\thost.containers.internal\n')
  const none = writeConf(box, 'none.conf', '[containers]\nbase_hosts_file = "none"\nhost_containers_internal_ip = "none"\n')
  t.is(await ok(box, ['run', '--rm', '--network', 'none', '--name', 'n', '--hostname', 'h', 'busybox', 'cat', '/etc/hosts'], {env: {CONTAINERS_CONF: none}}), '127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.0.1\th n\n')
  const missing = writeConf(box, 'missing.conf', `[containers]\nbase_hosts_file = "${box.dir}/nope"\n`)
  const r = await tspod(box, ['run', '--rm', 'busybox', 'true'], {env: {CONTAINERS_CONF: missing}})
  t.not(r.code, 0)
  t.regex(r.stderr, /failed to create new hosts file: open \S+\/nope: no such file or directory/)
})

test('pasta: the container\'s names on the address pasta gives it (the host\'s, or -a)', async (t) => {
  const box = await sandboxWithImages(t)
  const hostIP = hostContainersInternalIP()
  if (!hostIP) return t.pass('the host has no global address')
  const own = await ok(box, ['run', '--rm', '--network', 'pasta', '--name', 'p', '--hostname', 'ph', 'busybox', 'tail', '-1', '/etc/hosts'])
  t.is(own, `${hostIP}\tph p\n`)
  const asked = await ok(box, ['run', '--rm', '--network', 'pasta:-a,10.5.5.5', '--name', 'q', '--hostname', 'qh', 'busybox', 'sh', '-c', 'tail -1 /etc/hosts; ip -4 -o addr show | grep -c 10.5.5.5'])
  t.is(asked, '10.5.5.5\tqh q\n1\n')
})

test('--http-proxy: the host\'s proxy variables by default, none with --http-proxy=false or http_proxy = false in containers.conf', async (t) => {
  const box = await sandboxWithImages(t)
  const env = {http_proxy: 'http://proxy.example:3128', HTTPS_PROXY: 'http://secure.example:3129', no_proxy: 'localhost', OTHER: 'x'}
  const script = ['busybox', 'sh', '-c', 'env | grep -i -e proxy -e other | sort']
  t.is(await ok(box, ['run', '--rm', ...script], {env}), 'HTTPS_PROXY=http://secure.example:3129\nhttp_proxy=http://proxy.example:3128\nno_proxy=localhost\n')
  t.is(await ok(box, ['run', '--rm', '--http-proxy=false', ...script], {env}), '')
  // -e wins over the host's value
  t.is(await ok(box, ['run', '--rm', '-e', 'http_proxy=mine', ...script], {env}), 'HTTPS_PROXY=http://secure.example:3129\nhttp_proxy=mine\nno_proxy=localhost\n')
  const conf = writeConf(box, 'containers.conf', '[containers]\nhttp_proxy = false\n')
  t.is(await ok(box, ['run', '--rm', ...script], {env: {...env, CONTAINERS_CONF: conf}}), '')
  t.is(await ok(box, ['run', '--rm', '--http-proxy', ...script], {env: {...env, CONTAINERS_CONF: conf}}), 'HTTPS_PROXY=http://secure.example:3129\nhttp_proxy=http://proxy.example:3128\nno_proxy=localhost\n')
})

test('containers of a pod share the infra container\'s /etc/hosts: each adds its name on 127.0.0.1 while it runs', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['pod', 'create', '--name', 'pd', '--infra-name', 'pd-infra'])
  const first = await ok(box, ['run', '--pod', 'pd', '--name', 'one', 'busybox', 'cat', '/etc/hosts'])
  t.regex(first, /\tpd pd-infra\n127\.0\.0\.1\tone\n$/)
  const second = await ok(box, ['run', '--pod', 'pd', '--name', 'two', 'busybox', 'sh', '-c', 'cat /etc/hosts; hostname; cat /etc/hostname'])
  t.is(second, first.replace('\tone\n', '\ttwo\n') + 'pd\npd', 'the first one\'s entry is gone once it ended')
  await ok(box, ['pod', 'rm', '-f', 'pd'])
})
