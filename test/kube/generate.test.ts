// kube generate's objects from container, pod and volume records: Podman's shape, and every
// document valid against Kubernetes' own schema for its apiVersion (kubernetes-models' validators,
// compiled by ajv from Kubernetes' OpenAPI document).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {Container as ContainerRecord} from '../../src/runtime/container/config'
import type {PodConfig} from '../../src/runtime/pod/records'
import type {Volume as VolumeRecord} from '../../src/runtime/volume'
import type {ContainerSpec} from '../../src/specgen/container-spec'
import {ContainerSource, KubeGenerator, containerPorts, kubeName} from '../../src/kube/generate'
import {parseDocuments} from '../../src/kube/yaml'

// the schemas are ES modules: a real import(), which tsc's CommonJS output would turn into require()
const importModule = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{validate: ((d: unknown) => boolean) & {errors?: unknown}}>

const SCHEMAS: Record<string, string> = {
  'v1/Pod': 'IoK8sApiCoreV1Pod',
  'v1/Service': 'IoK8sApiCoreV1Service',
  'v1/PersistentVolumeClaim': 'IoK8sApiCoreV1PersistentVolumeClaim',
  'apps/v1/Deployment': 'IoK8sApiAppsV1Deployment',
}

async function schemaErrors(doc: unknown): Promise<unknown> {
  const {apiVersion, kind} = doc as {apiVersion: string; kind: string}
  const name = SCHEMAS[`${apiVersion}/${kind}`]
  if (!name) return `no schema for ${apiVersion}/${kind}`
  const {validate} = await importModule(`kubernetes-models/_schemas/${name}`)
  return validate(doc) ? null : validate.errors
}

const DEFAULT_CAPS = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT']

function spec(over: Partial<ContainerSpec>): ContainerSpec {
  return {
    labels: {}, tty: false, interactive: false, groups: [], keepGroups: false, env: [], unsetenv: [], unsetenvAll: false, capAdd: [], capDrop: [],
    mounts: [], devices: [], network: {kind: 'slirp4netns'}, ports: [], extraHosts: [], noHosts: false, readOnly: false, readOnlyTmpfs: true, init: false,
    userns: {kind: 'host'}, security: {mask: [], unmask: []}, autoRemove: false, log: {driver: 'k8s-file'} as ContainerSpec['log'], ...over,
  }
}

function source(name: string, over: Partial<ContainerSpec>, extra: {id?: string; caps?: string[]; volumes?: ContainerRecord['config']['volumes']; created?: string} = {}): ContainerSource {
  const id = extra.id ?? name.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a')
  const record = {
    config: {
      id, name, imageId: 'img', labels: {}, imageName: 'localhost/busybox:latest', created: extra.created ?? '2026-01-01T00:00:00Z',
      spec: {process: {user: {uid: 1000, gid: 1000}, capabilities: {bounding: extra.caps ?? DEFAULT_CAPS}, noNewPrivileges: false}, hostname: id.slice(0, 12)},
      containerSpec: spec(over), autoRemove: false, keepGroups: false, stopSignal: 15, stopTimeout: 10, ports: [], network: 'slirp4netns', volumes: extra.volumes ?? [],
    },
    state: {status: 'created', pid: 0, exitCode: 0},
  } as unknown as ContainerRecord
  return {record, image: {Cmd: ['sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], WorkingDir: ''}}
}

const NOW = new Date('2026-12-07T01:02:03.456Z')

test('a container alone: a Pod named NAME-pod with Podman\'s annotations, command, env, ports, security context and volumes; valid against the v1 Pod schema', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-gen-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const c = source(
    'web_1',
    {
      command: ['httpd', '-f'], env: [['FOO', 'bar'], ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']], workdir: '/srv', readOnly: true, user: '1000',
      ports: [{hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1}, {hostIP: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp', range: 2}],
      mounts: [{type: 'bind', source: dir, destination: '/data', options: ['ro', 'Z']}, {type: 'volume', name: 'db', destination: '/db', options: []}, {type: 'tmpfs', destination: '/scratch', options: []}],
    },
    {caps: [...DEFAULT_CAPS.filter((c) => c !== 'CAP_CHOWN'), 'CAP_NET_ADMIN'], volumes: [{name: 'db', destination: '/db', options: []}]},
  )
  const gen = new KubeGenerator({containers: [c], pods: [], volumes: [], service: true, type: 'pod', version: 'tspod-0.1.0', now: NOW})
  const text = gen.render()
  t.true(text.startsWith('# Save the output of this file and use kubectl create -f to import\n# it into Kubernetes.\n#\n# Created with tspod-0.1.0\n'))
  t.regex(text, /# NOTE: If you generated this yaml from an unprivileged and rootless podman container on an SELinux/)
  t.regex(text, /creationTimestamp: "2026-12-07T01:02:03Z"\n/, 'quoted, in seconds')
  t.regex(text, /\n {2}containers:\n {2}- command:\n/, 'sequences not indented under their key, as Go\'s yaml')
  const docs = parseDocuments(text) as {kind: string; metadata: {name: string; labels: Record<string, string>; annotations: Record<string, string>}; spec: Record<string, unknown>}[]
  t.deepEqual(docs.map((d) => d.kind), ['Service', 'Pod'])
  for (const d of docs) t.is(await schemaErrors(d), null, d.kind)
  const pod = docs[1]
  t.is(pod.metadata.name, 'web1-pod')
  t.deepEqual(pod.metadata.labels, {app: 'web1-pod'})
  t.like(pod.metadata.annotations, {'io.kubernetes.cri-o.TTY/web1': 'false', 'io.podman.annotations.autoremove/web1': 'FALSE', 'io.podman.annotations.privileged/web1': 'FALSE', 'bind-mount-options': `${dir}:Z`})
  const [container] = pod.spec.containers as Record<string, unknown>[]
  t.like(container, {name: 'web1', image: 'localhost/busybox:latest', command: ['httpd', '-f'], workingDir: '/srv', env: [{name: 'FOO', value: 'bar'}]})
  t.deepEqual(container.ports, [{containerPort: 80, hostPort: 8080}, {containerPort: 53, hostIP: '127.0.0.1', hostPort: 5353, protocol: 'UDP'}, {containerPort: 54, hostIP: '127.0.0.1', hostPort: 5354, protocol: 'UDP'}])
  t.deepEqual(container.securityContext, {capabilities: {add: ['CAP_NET_ADMIN'], drop: ['CAP_CHOWN', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_AUDIT_WRITE']}, readOnlyRootFilesystem: true, runAsGroup: 1000, runAsUser: 1000})
  const hostName = `${dir.slice(1).replace(/\//g, '-').toLowerCase().replace(/[^a-z0-9-]/g, '-')}-host-0`
  t.deepEqual(container.volumeMounts, [{mountPath: '/data', name: hostName, readOnly: true}, {mountPath: '/scratch', name: 'scratch-tmpfs-1'}, {mountPath: '/db', name: 'db-pvc'}])
  t.deepEqual(pod.spec.volumes, [{hostPath: {path: dir, type: 'Directory'}, name: hostName}, {emptyDir: {medium: 'Memory'}, name: 'scratch-tmpfs-1'}, {name: 'db-pvc', persistentVolumeClaim: {claimName: 'db'}}])
  t.is(pod.spec.status, undefined)
  const service = docs[0].spec as {ports: {nodePort: number; port: number}[]; selector: unknown; type: string}
  t.deepEqual(service.selector, {app: 'web1-pod'})
  t.is(service.type, 'NodePort')
  t.deepEqual(service.ports.map((p) => p.port), [80, 53, 54])
  t.true(service.ports.every((p) => p.nodePort >= 30000 && p.nodePort <= 32767))
})

test('a pod: ports from its infra container on the first member, hostname, restart policy, SandboxID truncated with a warning; a pod with only its infra container is refused', async (t) => {
  const infraId = 'f'.repeat(64)
  const pod = {id: 'p'.repeat(64), name: 'app', created: '', labels: {}, share: ['ipc', 'net', 'uts'], infraId, publish: []} as PodConfig
  const infra = source('app-infra', {ports: [{hostIP: '', hostPort: 9999, containerPort: 8888, protocol: 'tcp', range: 1}]}, {id: infraId})
  const a = source('a', {pod: pod.id, restart: {policy: 'always', retries: 0}, command: ['top']}, {created: '2026-01-01T00:00:01Z'})
  const b = source('b', {pod: pod.id}, {created: '2026-01-01T00:00:02Z'})
  t.throws(() => new KubeGenerator({containers: [], pods: [{pod, containers: [infra]}], volumes: [], service: false, type: 'pod', version: 'v'}).render(), {message: `pod ${pod.id} only has an infra container`})

  const gen = new KubeGenerator({containers: [], pods: [{pod, containers: [infra, b, a]}], volumes: [], service: false, type: 'pod', version: 'v', now: NOW})
  const [doc] = parseDocuments(gen.render()) as {metadata: {annotations: Record<string, string>}; spec: {containers: Record<string, unknown>[]; hostname: string; restartPolicy: string}; status: unknown}[]
  t.is(await schemaErrors(doc), null)
  t.deepEqual(doc.spec.containers.map((c) => [c.name, c.ports, c.resources, c.command]), [['a', [{containerPort: 8888, hostPort: 9999}], {}, ['top']], ['b', undefined, {}, undefined]])
  t.is(doc.spec.hostname, 'app')
  t.is(doc.spec.restartPolicy, 'Always')
  t.deepEqual(doc.status, {})
  t.is(doc.metadata.annotations['io.kubernetes.cri-o.SandboxID/a'], 'f'.repeat(63))
  t.is(doc.metadata.annotations['io.kubernetes.cri-o.ContainerType/b'], 'container')
  t.is(gen.warnings.length, 2)
  t.regex(gen.warnings[0], /^Truncation Annotation: "f{64}" to "f{63}": Kubernetes only allows 63 characters$/)

  const deployment = new KubeGenerator({containers: [], pods: [{pod, containers: [infra, a]}], volumes: [], service: false, type: 'deployment', version: 'v', now: NOW})
  const [dep] = parseDocuments(deployment.render()) as {kind: string; metadata: {name: string}; spec: {selector: unknown; template: {metadata: {labels: unknown}}}}[]
  t.is(await schemaErrors(dep), null)
  t.is(dep.kind, 'Deployment')
  t.is(dep.metadata.name, 'app-deployment')
  t.deepEqual(dep.spec.selector, {matchLabels: {app: 'app'}})
  t.deepEqual(dep.spec.template.metadata.labels, {app: 'app'})
})

test('a volume: a PersistentVolumeClaim with its driver and options as annotations; valid', async (t) => {
  const volume = {name: 'data', driver: 'local', created: '', labels: {tier: 'db'}, options: {type: 'tmpfs', device: 'tmpfs', o: 'size=2m'}, anonymous: false, needsCopyUp: true, needsChown: true} as VolumeRecord
  const [doc] = parseDocuments(new KubeGenerator({containers: [], pods: [], volumes: [volume], service: false, type: 'pod', version: 'v', now: NOW}).render()) as Record<string, unknown>[]
  t.is(await schemaErrors(doc), null)
  t.deepEqual(doc.metadata, {
    annotations: {'volume.podman.io/driver': 'local', 'volume.podman.io/type': 'tmpfs', 'volume.podman.io/device': 'tmpfs', 'volume.podman.io/mount-options': 'size=2m'},
    creationTimestamp: '2026-12-07T01:02:03Z', labels: {tier: 'db'}, name: 'data',
  })
  t.deepEqual(doc.spec, {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}})
})

test('helpers: names lose underscores; -p ranges become one port each', (t) => {
  t.is(kubeName('my_app_1'), 'myapp1')
  t.deepEqual(containerPorts([{hostIP: '', hostPort: 0, containerPort: 80, protocol: 'sctp', range: 1}]), [{containerPort: 80, protocol: 'SCTP'}])
})
