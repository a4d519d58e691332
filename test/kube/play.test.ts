// kube play's plan: what each kind and field of the YAML becomes (pods, container options,
// volumes), and the one-line errors for what tspod does not play. Nothing is created here.
import test from 'ava'

import {PlayOptions, planPlay, podNames, quantityBytes} from '../../src/kube/play'

const OPTIONS: PlayOptions = {start: true, networks: [], publish: [], configMapFiles: [], logOptions: [], noHosts: false, selinuxEnabled: false}

const YAML = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  MODE: fast
  LEVEL: 3
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  labels: {tier: db}
  annotations:
    volume.podman.io/type: tmpfs
    volume.podman.io/device: tmpfs
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    metadata:
      labels: {app: web}
    spec:
      restartPolicy: OnFailure
      containers:
      - name: srv
        image: localhost/busybox
        command: [httpd, -f]
        args: [-p, "8080"]
        workingDir: /srv
        env:
        - {name: A, value: "1"}
        - name: M
          valueFrom: {configMapKeyRef: {name: settings, key: MODE}}
        - name: POD
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        envFrom:
        - configMapRef: {name: settings}
          prefix: CM_
        ports:
        - {containerPort: 8080, hostPort: 18080}
        - {containerPort: 53, protocol: UDP}
        securityContext:
          runAsUser: 1000
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {add: [NET_ADMIN], drop: [CHOWN]}
        resources: {limits: {memory: 64Mi}}
        volumeMounts:
        - {name: host, mountPath: /host, readOnly: true}
        - {name: pvc, mountPath: /data}
        - {name: cfg, mountPath: /etc/cfg}
        - {name: scratch, mountPath: /scratch}
        - {name: mem, mountPath: /mem}
      volumes:
      - {name: host, hostPath: {path: /tmp, type: Directory}}
      - {name: made, hostPath: {path: /tmp/kube-plan-made, type: DirectoryOrCreate}}
      - {name: pvc, persistentVolumeClaim: {claimName: data}}
      - {name: cfg, configMap: {name: settings, items: [{key: MODE, path: mode.txt}]}}
      - {name: scratch, emptyDir: {}}
      - {name: mem, emptyDir: {medium: Memory}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
`

test('a Deployment (one replica, with a warning for more), a PVC and a ConfigMap become a pod NAME-pod, a volume and env values and files', (t) => {
  const plan = planPlay(YAML, {...OPTIONS, publish: ['127.0.0.1:18081:8080']})
  t.deepEqual(plan.warnings, ['Limiting replica count to 1, more than one replica is not supported by Podman'])
  t.deepEqual(plan.volumes, [{name: 'data', labels: {tier: 'db'}, options: {type: 'tmpfs', device: 'tmpfs'}, uid: undefined, gid: undefined}])
  t.is(plan.pods.length, 1)
  const [pod] = plan.pods
  t.like(pod, {name: 'web-pod', labels: {app: 'web'}, hostname: 'web-pod', network: undefined, sharePid: false})
  t.deepEqual(pod.publish, ['127.0.0.1:18081:8080', '53:53/udp'], '--publish overrides the YAML\'s port; a containerPort alone is published on the same host port')
  t.deepEqual(pod.hostPaths, [{path: '/tmp/kube-plan-made', kind: 'directory'}])
  t.deepEqual(pod.configMapVolumes, [{name: 'settings', files: {'mode.txt': 'fast'}}])
  const [c] = pod.containers
  t.is(c.image, 'localhost/busybox')
  t.is(c.pullPolicy, 'newer')
  t.like(c.options, {
    name: 'web-pod-srv', entrypoint: '["httpd","-f"]', args: ['-p', '8080'], workdir: '/srv', user: '1000', readOnly: true, noNewPrivileges: true,
    capAdd: ['NET_ADMIN'], capDrop: ['CHOWN'], restart: 'on-failure', memory: String(64 * 2 ** 20), labels: ['app=web'],
  })
  t.deepEqual(c.options.env, ['A=1', 'M=fast', 'POD=web-pod', 'CM_MODE=fast', 'CM_LEVEL=3'])
  t.deepEqual(c.options.volumes, ['/tmp:/host:ro', 'data:/data', 'settings:/etc/cfg', '/scratch'])
  t.deepEqual(c.options.tmpfs, ['/mem'])
  t.deepEqual(podNames(YAML), ['web-pod'])
})

test('a Pod: its name, the mount path\'s options, hostNetwork, the pod\'s user and group; --network wins', (t) => {
  const yaml = `
apiVersion: v1
kind: Pod
metadata: {name: test_pod}
spec:
  hostNetwork: true
  securityContext: {runAsUser: 5, runAsGroup: 6}
  containers:
  - name: test
    image: img
    securityContext: {fsGroup: 2000, seLinuxOptions: {level: "s0:c1,c2"}}
    volumeMounts: [{name: v, mountPath: "/testdir:z"}]
  volumes: [{name: v, hostPath: {path: /tmp}}]
`
  const [pod] = planPlay(yaml, OPTIONS).pods
  t.is(pod.network, 'host')
  t.like(pod.containers[0].options, {name: 'test_pod-test', user: '5:6', restart: 'always', volumes: ['/tmp:/testdir:z']})
  t.is(planPlay(yaml, {...OPTIONS, networks: ['none']}).pods[0].network, 'none')
  t.throws(() => planPlay(yaml, {...OPTIONS, selinuxEnabled: true}), {message: /^seLinuxOptions \(level:s0:c1,c2\) are not supported by tspod/})
})

test('unsupported kinds, fields and volume sources are one-line errors naming them; so are missing ConfigMaps and bad values', (t) => {
  const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`
  const cases: [string, RegExp][] = [
    ['apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n', /^kube kind Job is not supported by tspod: Pod, Deployment, PersistentVolumeClaim and ConfigMap are$/],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', /^ConfigMaps in podman are not a standalone object and must be used in a container$/],
    [pod('  initContainers: [{name: i, image: x}]\n  containers: [{name: c, image: x}]'), /^spec\.initContainers is not supported by tspod$/],
    [pod('  containers: [{name: c, image: x, livenessProbe: {exec: {command: [true]}}}]'), /^spec\.containers\[0\]\.livenessProbe is not supported by tspod$/],
    [pod('  containers: [{name: c, image: x, resources: {limits: {cpu: 1}}}]'), /^spec\.containers\[0\]\.resources\.limits\.cpu is not supported by tspod$/],
    [pod('  containers: [{name: c, image: x}]\n  volumes: [{name: s, secret: {secretName: s}}]'), /^spec\.volumes\[0\]: volume source secret is not supported by tspod/],
    [pod('  containers: [{name: c, image: x, env: [{name: A, valueFrom: {configMapKeyRef: {name: nope, key: k}}}]}]'), /^cannot set env A: configmap nope not found$/],
    [pod('  containers: [{name: c, image: x, ports: [{containerPort: "80"}]}]'), /^spec\.containers\[0\]\.ports\[0\]\.containerPort: must be an integer$/],
    [pod('  containers: [{name: c, image: x}, {name: c, image: y}]'), /^the pod "p" is invalid; duplicate container name "c" detected$/],
    [pod('  containers: [{name: c, image: x, volumeMounts: [{name: gone, mountPath: /x}]}]'), /^volume mount gone specified for container but not configured in volumes$/],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {test: ' + 'x'.repeat(64) + '}\nspec:\n  containers: [{name: c, image: x}]', /^invalid annotation "test"="x{64}" value length exceeds Kubernetes max 63$/],
    ['a: [b', /^multi doc yaml could not be split: /],
  ]
  for (const [yaml, message] of cases) t.throws(() => planPlay(yaml, OPTIONS), {message}, yaml)
})

test('quantities: binary and decimal suffixes', (t) => {
  t.is(quantityBytes('1Gi', 'x'), 2 ** 30)
  t.is(quantityBytes('500M', 'x'), 5e8)
  t.is(quantityBytes('1048576', 'x'), 1048576)
  t.throws(() => quantityBytes('lots', 'memory'), {message: 'memory: invalid quantity "lots"'})
})
