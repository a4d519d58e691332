// kube play, kube generate and kube down through the CLI as the rootless user: a round trip
// play -> generate -> play on a fresh store gives the same containers, ports, env and volumes;
// kube down leaves no container or process behind; an unsupported kind is one line and 125.
import test, {type ExecutionContext} from 'ava'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, processesUsing, tspod, tspodOk as ok} from '../helpers/rootless'

const YAML = (hostDir: string, port: number) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {MODE: fast}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: shop
  labels: {app: shop}
spec:
  restartPolicy: Never
  containers:
  - name: web
    image: localhost/busybox:latest
    command: [sleep, "100"]
    workingDir: /tmp
    env:
    - {name: GREETING, value: hello}
    - name: MODE
      valueFrom: {configMapKeyRef: {name: settings, key: MODE}}
    ports:
    - {containerPort: 80, hostPort: ${port}}
    securityContext:
      capabilities: {drop: [CAP_CHOWN]}
    volumeMounts:
    - {name: host, mountPath: /host, readOnly: true}
    - {name: store, mountPath: /data}
  volumes:
  - {name: host, hostPath: {path: ${hostDir}, type: Directory}}
  - {name: store, persistentVolumeClaim: {claimName: data}}
`

/** What must survive the round trip, read back through inspect. */
/** A port free on the host now (other tests run beside this one). */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve))
  const {port} = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A sandbox whose pods are removed at the end, whatever happened. */
async function kubeSandbox(t: ExecutionContext): Promise<Sandbox> {
  const box = await sandboxWithImages(t)
  t.teardown(async () => void (await tspod(box, ['pod', 'rm', '-a', '-f', '-t', '0'])))
  return box
}

async function facts(box: Sandbox, hostDir: string): Promise<string> {
  const member = await ok(box, ['inspect', '--format', '{{.Name}} {{.Path}} {{.Args}} {{.Config.WorkingDir}}', 'shop-web'])
  const mounts = (JSON.parse(await ok(box, ['inspect', '--format', '{{json .Mounts}}', 'shop-web'])) as {Type: string; Name?: string; Source: string; Destination: string; RW: boolean}[])
    // the store is the sandbox's own; the host dir is the first sandbox's in both
    .map((m) => `${m.Type}:${m.Type === 'volume' ? m.Name : m.Source.replace(hostDir, 'HOST').replace(box.dir, 'BOX')}:${m.Destination}:${m.RW ? 'rw' : 'ro'}`)
    .sort()
  const env = (await ok(box, ['inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', 'shop-web'])).split('\n').filter((e) => /^(GREETING|MODE)=/.test(e))
  const infra = (await ok(box, ['pod', 'inspect', '--format', '{{.InfraContainerId}}', 'shop'])).trim()
  const ports = await ok(box, ['inspect', '--format', '{{json .HostConfig.PortBindings}}', infra])
  return [member.trim(), env.sort().join(','), ports.trim(), mounts.join(',')].join('\n')
}

test('kube play -> kube generate -> kube play on a fresh store: same containers, ports, env and volumes; kube down leaves nothing', async (t) => {
  const first = await kubeSandbox(t)
  const port = await freePort()
  const hostDir = path.join(first.dir, 'shared')
  fs.mkdirSync(hostDir)
  fs.chownSync(hostDir, first.user.uid, first.user.gid)

  const bad = await tspod(first, ['kube', 'play', '-'], {input: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n'})
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: kube kind Job is not supported by tspod: Pod, Deployment, PersistentVolumeClaim and ConfigMap are\n')

  const long = 'x'.repeat(64)
  const tooLong = await tspod(first, ['kube', 'play', '--annotation', `team=${long}`, '-'], {input: YAML(hostDir, port)})
  t.is(tooLong.code, 125)
  t.is(tooLong.stderr, `Error: annotation exceeds maximum size, 63, of kubernetes annotation: ${long}\n`)

  const played = await ok(first, ['kube', 'play', '--start=false', '--annotation', 'team=shop', '-'], {input: YAML(hostDir, port)})
  t.regex(played, /^Volumes:\ndata\nPod:\n[0-9a-f]{64}\nContainer:\n[0-9a-f]{64}\n\n$/)
  const infraId = (await ok(first, ['pod', 'inspect', '--format', '{{.InfraContainerId}}', 'shop'])).trim()
  t.is(await ok(first, ['inspect', '--format', '{{index .Config.Annotations "team"}} {{index .Config.Annotations "io.kubernetes.cri-o.SandboxID"}}', 'shop-web']), `shop ${infraId}\n`, "--annotation and the pod's infra id on its container")
  const before = await facts(first, hostDir)
  t.regex(before, /^shop-web sleep \[100\] \/tmp\nGREETING=hello,MODE=fast\n\{"80\/tcp":\[\{"HostIp":"","HostPort":"\d+"\}\]\}\nbind:BOX\/data\/tspod\/storage\/volumes\/data\/_data:\/data:rw,bind:HOST:\/host:ro$/)

  const yaml = await ok(first, ['kube', 'generate', 'shop'])
  t.regex(yaml, /^# Save the output of this file and use kubectl create -f to import\n/)
  const file = path.join(first.dir, 'shop.yaml')
  await ok(first, ['generate', 'kube', '-f', file, 'shop'])
  t.true((await tspod(first, ['kube', 'generate', '-f', file, 'shop'])).stderr.endsWith(`\nError: cannot write to ${JSON.stringify(file)}; file exists\n`), 'after the truncation warnings')

  const second = await kubeSandbox(t)
  const replayed = await ok(second, ['play', 'kube', '-'], {input: yaml})
  t.regex(replayed, /^Pod:\n[0-9a-f]{64}\nContainer:\n[0-9a-f]{64}\n\n$/)
  t.is(await facts(second, hostDir), before)
  t.is(await ok(second, ['ps', '--format', '{{.State}}']), 'running\nrunning\n', 'the infra container and shop-web')

  const down = await ok(second, ['kube', 'down', '-'], {input: yaml})
  t.regex(down, /^Pods stopped:\n[0-9a-f]{64}\nPods removed:\n[0-9a-f]{64}\n$/)
  t.is(await ok(second, ['ps', '-aq']), '')
  t.is(await ok(second, ['pod', 'ps', '-q']), '')
  t.deepEqual(processesUsing(second.dir), [], 'no monitor, container or slirp4netns left')
  const again = await tspod(second, ['kube', 'play', '--down', '-'], {input: yaml})
  t.is(again.code, 125)
  t.is(again.stderr, 'Error: no pod with name or ID shop found: no such pod\n')
})

test('kube play --build: an image with a Containerfile in CONTEXT/NAME/ is built under the YAML\'s name; --context-dir needs --build', async (t) => {
  const box = await kubeSandbox(t)
  const context = path.join(box.dir, 'ctx')
  fs.mkdirSync(path.join(context, 'userimage'), {recursive: true})
  fs.writeFileSync(path.join(context, 'userimage', 'Containerfile'), 'FROM localhost/busybox:latest\nUSER 1234\n')
  fs.chownSync(context, box.user.uid, box.user.gid)
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: built}\nspec:\n  containers:\n  - {name: app, image: example.com/org/userimage, command: [id]}\n'
  const noBuild = await tspod(box, ['kube', 'play', '--context-dir', context, '-'], {input: yaml})
  t.deepEqual([noBuild.code, noBuild.stderr], [125, 'Error: --build must be specified when using --context-dir option\n'])
  await ok(box, ['kube', 'play', '--start=false', '--build', '--context-dir', context, '-'], {input: yaml})
  t.is(await ok(box, ['inspect', '--format', '{{.Config.User}} {{.ImageName}}', 'built-app']), '1234 example.com/org/userimage:latest\n')
})

async function running(box: Sandbox, name: string): Promise<string> {
  return (await ok(box, ['container', 'inspect', '--format', '{{.State.Running}}', name])).trim()
}

/** The container's running state once it is `want` (monitors record exits a moment later), else as it is after ~10 s. */
async function runningBecomes(box: Sandbox, name: string, want: string): Promise<string> {
  let state = await running(box, name)
  for (let i = 0; i < 50 && state !== want; i++) {
    await new Promise((r) => setTimeout(r, 200))
    state = await running(box, name)
  }
  return state
}

test('kube play --service-container: the YAML\'s service container (pause image, no network) starts and stops with its pod, cannot be removed before it, and goes with it; played pods stop with their last container', async (t) => {
  const box = await kubeSandbox(t)
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: tied}\nspec:\n  containers:\n  - {name: main, image: localhost/busybox:latest, command: [sleep, "100"]}\n'
  const file = path.join(box.dir, 'tied.yaml')
  fs.writeFileSync(file, yaml)
  await ok(box, ['kube', 'play', '--service-container=true', file])
  const service = `${crypto.createHash('sha256').update(yaml).digest('hex').slice(0, 12)}-service`
  t.is(await ok(box, ['container', 'inspect', '--format', '{{.State.Running}} {{.IsService}} {{.Path}} {{.HostConfig.NetworkMode}}', service]), 'true true /catatonit none\n')
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.ExitPolicy}}', 'tied']), 'stop\n')
  t.is(await ok(box, ['ps', '--format', '{{.Names}}:{{.Pod}}', '--filter', `name=${service}`]), `${service}:\n`, 'in no pod')

  await ok(box, ['stop', '-t', '0', 'tied-main'])
  t.is(await runningBecomes(box, service, 'false'), 'false', 'the pod exited (exit policy stop): its service container stopped')
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.State}}', 'tied']), 'Exited\n')
  await ok(box, ['pod', 'restart', 'tied'])
  t.is(await running(box, service), 'true')

  const refused = await tspod(box, ['container', 'rm', service])
  t.is(refused.code, 125)
  t.regex(refused.stderr, /^Error: container [0-9a-f]{64} is the service container of pod\(s\) [0-9a-f]{64} and cannot be removed without removing the pod\(s\)\n$/)
  await ok(box, ['pod', 'kill', 'tied'])
  t.is(await runningBecomes(box, service, 'false'), 'false')
  await ok(box, ['pod', 'rm', 'tied'])
  t.is((await tspod(box, ['container', 'exists', service])).code, 1, 'removed with its pod')
  t.is(await ok(box, ['ps', '-aq']), '')
  t.deepEqual(processesUsing(box.dir), [])
})
