// Pods through the CLI as the rootless user: the infra container (catatonit from the locally
// built pause image) holds the namespaces the pod's containers share; the pod verbs and state.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {httpGet} from '../helpers/http-get'
import {sandboxWithImages} from '../helpers/image-sandbox'
import {freePort} from '../helpers/registry'
import {processesUsing, tspod, tspodOk as ok} from '../helpers/rootless'


async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read()
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100))
    value = await read()
  }
  return value
}

test('a pod: its infra runs catatonit from the pause image; members share net, ipc and uts (localhost, hostname) but not pid; state, ps, inspect, rm', async (t) => {
  const box = await sandboxWithImages(t)
  t.is((await tspod(box, ['pod', 'rm', '-t', '0', '--all', '--force', '--ignore'])).stdout, '', 'quiet when there are none')
  const podId = (await ok(box, ['pod', 'create', '--name', 'p1', '--label', 'team=a'])).trim()
  const version = (await ok(box, ['version', '--format', '{{.Server.Version}}-{{.Server.Built}}'])).trim()
  t.is(await ok(box, ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=localhost/podman-pause']), `localhost/podman-pause:${version}\n`)
  t.is(await ok(box, ['pod', 'ps', '--format', '{{.Name}} {{.Status}} {{.NumberOfContainers}} {{.Labels}}']), 'p1 Created 1 map[team:a]\n')

  // a server on the pod's localhost, reached from another member
  await ok(box, ['run', '-d', '--pod', 'p1', '--name', 'web', 'busybox', 'sh', '-c', 'echo hello-pod > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'])
  const out = await ok(box, ['run', '--rm', '--pod', 'p1', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://127.0.0.1:8080/index.html && break; sleep 0.2; done; hostname; ps -o comm | grep -c httpd; true'])
  t.is(out, 'hello-pod\np1\n0\n', 'localhost and hostname shared, processes not')
  const infra = (await ok(box, ['pod', 'inspect', '--format', '{{.InfraContainerId}}', 'p1'])).trim()
  t.is(await ok(box, ['inspect', '--format', '{{.Path}} {{.Args}} {{.HostConfig.NetworkMode}}', infra]), '/catatonit [-P] pasta\n')
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.NetworkMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}} {{.HostConfig.PidMode}}', 'web']), `container:${infra} container:${infra} container:${infra} private\n`)
  t.is(await ok(box, ['pod', 'ps', '--ctr-names', '--format', '{{.Status}} {{.ContainerNames}}']), `Running ${podId.slice(0, 12)}-infra,web\n`)

  // a running member needs --force; the infra container alone does not (it stops with the pod)
  const refused = await tspod(box, ['pod', 'rm', 'p1'])
  t.is(refused.code, 125)
  t.regex(refused.stderr, /^Error: pod [0-9a-f]{64} has containers that are not ready to be removed: .* container state improper\n$/)
  await ok(box, ['stop', '-t', '0', 'web'])
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.State}}', 'p1']), 'Degraded\n')
  t.is(await ok(box, ['pod', 'stop', '-t', '0', 'p1']), `${podId}\n`)
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.State}}', 'p1']), 'Exited\n')
  await ok(box, ['pod', 'start', 'p1'])
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.State}}', 'p1']), 'Running\n')
  t.is(await ok(box, ['pod', 'rm', '-f', '-t', '0', 'p1']), `${podId}\n`)
  t.is(await ok(box, ['ps', '-aq']), '')
  t.deepEqual(processesUsing(box.dir), [], 'pod rm -f leaves no container, monitor or pasta running')
  t.is((await tspod(box, ['pod', 'exists', 'p1'])).code, 1)
  const missing = await tspod(box, ['pod', 'rm', 'p1'])
  t.is(missing.stderr, 'Error: no pod with name or ID p1 found: no such pod\n')
  t.is(missing.code, 1)
  t.deepEqual(await tspod(box, ['pod', 'rm', '--force', 'p1']).then((r) => [r.code, r.stdout, r.stderr]), [0, '', ''], '--force ignores a missing pod')
})

test('--pod new:NAME makes the pod; --infra=false pods share nothing; --share picks the namespaces; bad input is one line and 125', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--pod', 'new:p2', '--name', 'member', 'busybox', 'true'])
  t.is(await ok(box, ['pod', 'ps', '--format', '{{.Name}} {{.NumberOfContainers}}']), 'p2 2\n')
  await ok(box, ['pod', 'create', '--infra=false', '--name', 'bare'])
  await ok(box, ['create', '--pod', 'bare', '--name', 'alone', 'busybox', 'true'])
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.NetworkMode}}', 'alone']), 'pasta\n')
  await ok(box, ['pod', 'create', '--share', 'pid', '--name', 'pids'])
  const infra = (await ok(box, ['pod', 'inspect', '--format', '{{.InfraContainerId}}', 'pids'])).trim()
  await ok(box, ['create', '--pod', 'pids', '--name', 'pmember', 'busybox', 'true'])
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.NetworkMode}} {{.HostConfig.PidMode}}', 'pmember']), `pasta container:${infra}\n`)

  for (const args of [['pod', 'create', '--share', 'bogus'], ['pod', 'create', '--name', 'p2'], ['create', '--pod', 'nosuch', 'busybox', 'true']]) {
    const r = await tspod(box, args)
    t.is(r.code, 125, args.join(' '))
    t.regex(r.stderr, /^Error: [^\n]+\n$/)
  }
  // rmi -f of the pause image takes the pods of its infra containers along, members and all
  const version = (await ok(box, ['version', '--format', '{{.Server.Version}}-{{.Server.Built}}'])).trim()
  await ok(box, ['rmi', '-f', `localhost/podman-pause:${version}`])
  t.is(await ok(box, ['pod', 'ps', '--format', '{{.Name}}']), 'bare\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}']), 'alone\n')
  await ok(box, ['pod', 'rm', '-a'])
  t.is((await ok(box, ['pod', 'ps', '-q'])) + (await ok(box, ['ps', '-aq'])), '', 'pods and their containers removed')
})

test('pod create -p reached from the host; --pod-id-file; shared /dev/shm; ps --pod and --filter pod=; pod top; pod logs; --exit-policy stop', async (t) => {
  const box = await sandboxWithImages(t)
  const port = await freePort()
  const idFile = path.join(box.dir, 'pod-id')
  const podId = (await ok(box, ['pod', 'create', '--name', 'p3', '-p', `${port}:8080`, '--exit-policy', 'stop', '--pod-id-file', idFile])).trim()
  t.is(fs.readFileSync(idFile, 'utf8').trim(), podId)
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.InfraConfig.PortBindings}}', 'p3']), `map[8080/tcp:[{ ${port}}]]\n`, 'a Go struct prints as {fields}')
  await ok(box, ['run', '-d', '--pod', 'p3', '--name', 'srv', 'busybox', 'sh', '-c', 'echo ready; echo oops >&2; echo hi > /tmp/index.html; touch /dev/shm/mark; exec httpd -f -p 8080 -h /tmp'])
  t.is(await poll(() => httpGet(port).catch(() => ''), (body) => body !== ''), 'hi\n', 'the pod\'s published port reaches a member')
  // a second member by --pod-id-file: the same /dev/shm and localhost
  t.is(await ok(box, ['run', '--rm', '--pod-id-file', idFile, 'busybox', 'sh', '-c', 'ls /dev/shm/mark; wget -q -O - http://127.0.0.1:8080/index.html']), '/dev/shm/mark\nhi\n')

  const infra = (await ok(box, ['pod', 'inspect', '--format', '{{.InfraContainerID}}', 'p3'])).trim()
  t.is(await ok(box, ['ps', '-a', '--filter', 'pod=p3', '--format', '{{.Names}} {{.Pod}} {{.IsInfra}}']), `${podId.slice(0, 12)}-infra ${podId.slice(0, 12)} true\nsrv ${podId.slice(0, 12)} false\n`)
  t.is(await ok(box, ['ps', '-a', '--filter', 'pod=nosuch', '--format', '{{.Names}}']), '')
  const table = (await ok(box, ['ps', '--pod'])).split('\n')
  t.regex(table[0], /NAMES +POD ID +PODNAME$/)
  t.regex(table[2], new RegExp(`srv +${podId.slice(0, 12)} +p3$`))
  const top = await ok(box, ['pod', 'top', 'p3', 'pid', 'args'])
  t.regex(top, /^PID +COMMAND\n1 +\/catatonit -P\n1 +httpd -f -p 8080 -h \/tmp\n$/)

  const logs = await tspod(box, ['pod', 'logs', '--names', 'p3'])
  t.is(logs.stdout, 'srv ready\n')
  t.is(logs.stderr, 'srv oops\n')
  t.is((await tspod(box, ['pod', 'logs', '-c', infra, 'p3'])).code, 125, 'the infra container has no logs to show')

  // the last member stops: with --exit-policy stop the infra container stops too
  await ok(box, ['stop', '-t', '0', 'srv'])
  t.is(await poll(async () => (await ok(box, ['pod', 'inspect', '--format', '{{.State}} {{.ExitPolicy}}', 'p3'])).trim(), (s) => s.startsWith('Exited')), 'Exited stop')
  t.is(await ok(box, ['pod', 'rm', 'p3']), `${podId}\n`)
})

test('pod create --add-host, --dns, --dns-search, --dns-option: the infra container\'s /etc/hosts and resolv.conf, which its members share with its hostname', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(async () => void (await tspod(box, ['pod', 'rm', '-a', '-f', '-t', '0'])))
  await ok(box, ['pod', 'create', '--name', 'named', '--hostname', 'h.example.net', '--add-host', 'foo.xyz:172.20.1.2', '--dns', '172.20.9.9', '--dns-search', 'srch.abc', '--dns-option', 'ndots:3'])
  const seen = await ok(box, ['run', '--rm', '--pod', 'named', 'busybox', 'sh', '-c', 'cat /etc/hosts; echo =; cat /etc/resolv.conf; echo =; hostname'])
  const [hosts, resolv, rest] = seen.split('=\n')
  t.true(hosts.startsWith('172.20.1.2\tfoo.xyz\n'), hosts)
  t.regex(hosts, /\n\S+\th\.example\.net [0-9a-f]{12}-infra\n/, 'the pod\'s hostname on the infra container\'s address')
  t.is(resolv, 'search srch.abc\nnameserver 172.20.9.9\noptions ndots:3\n')
  t.is(rest, 'h.example.net\n')
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.InfraConfig.DNSServer}} {{.InfraConfig.DNSSearch}} {{.InfraConfig.DNSOption}}', 'named']), '[172.20.9.9] [srch.abc] [ndots:3]\n')
})
