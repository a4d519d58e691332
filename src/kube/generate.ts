// `kube generate`: Kubernetes YAML from containers, pods and volumes, as Podman's libpod/kube.go
// writes it. A container alone becomes a Pod named after it; a pod's infra container gives the
// pod's ports, host network, host aliases and DNS. What Kubernetes has no field for is kept as an
// annotation NAME/CONTAINER, as Podman does.
import * as fs from 'node:fs'

import {TspodError} from '../errors'
import type {Container as ContainerRecord} from '../runtime/container/config'
import type {PortMapping} from '../runtime/network/publish'
import type {PodConfig} from '../runtime/pod/records'
import type {Volume as VolumeRecord} from '../runtime/volume'
import type {ContainerConfig as ImageConfig} from '../storage/image/manifest/image-config'
import {
  BIND_MOUNT_ANNOTATION,
  Capabilities,
  Container,
  ContainerPort,
  Deployment,
  EnvVar,
  MAX_KUBE_ANNOTATION,
  PersistentVolumeClaim,
  Pod,
  PodDNSConfig,
  PodSpec,
  SecurityContext,
  Service,
  VOLUME_ANNOTATIONS,
  Volume,
  VolumeMount,
} from './model'
import {toYaml} from './yaml'

/** A container with what generation reads of its image. */
export interface ContainerSource {
  record: ContainerRecord
  image: ImageConfig
}

export interface PodSource {
  pod: PodConfig
  /** its containers, the infra container among them */
  containers: ContainerSource[]
}

export interface GenerateInput {
  containers: ContainerSource[]
  pods: PodSource[]
  volumes: VolumeRecord[]
  service: boolean
  type: 'pod' | 'deployment'
  /** who made it, for the header's "Created with" line: tspod-VERSION */
  version: string
  now?: Date
}

/** The capabilities Kubernetes' runtimes grant by default (runtime-tools' default spec), in its order. */
const KUBE_DEFAULT_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
]

/** Variables every container gets: not worth a line in the YAML. */
const DEFAULT_ENV: Record<string, string> = {PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', TERM: 'xterm', container: 'podman'}

const SELINUX_WARNING = `
# NOTE: If you generated this yaml from an unprivileged and rootless podman container on an SELinux
# enabled system, check the podman generate kube man page for steps to follow to ensure that your pod/container
# has the right permissions to access the volumes added.
`

const NAMESPACE_WARNING = `
# NOTE: The namespace sharing for a pod has been modified by the user and is not the same as the
# default settings for kubernetes. This can lead to unexpected behavior when running the generated
# kube yaml in a kubernetes cluster.
`

export class KubeGenerator {
  readonly warnings: string[] = []
  private readonly timestamp: string

  constructor(private readonly input: GenerateInput) {
    this.timestamp = (input.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z')
  }

  /** The whole output: header, then PVCs, services and pods (or deployments), as Podman orders them. */
  render(): string {
    const {input} = this
    const content: string[] = []
    if (input.pods.some((p) => !['ipc', 'net', 'uts'].every((ns) => p.pod.share.includes(ns)))) content.push(NAMESPACE_WARNING)
    for (const v of input.volumes) content.push(toYaml(this.pvc(v)))
    const podDocs: string[] = []
    for (const source of input.pods) {
      const {pod, servicePorts} = this.fromPod(source)
      podDocs.push(toYaml(this.wrap(pod)))
      if (input.service) content.push(toYaml(this.service(pod, servicePorts)))
    }
    if (input.containers.length > 0) {
      const pod = this.fromContainers(input.containers)
      if ((pod.spec.volumes ?? []).length > 0) content.push(SELINUX_WARNING)
      podDocs.push(toYaml(this.wrap(pod)))
      if (input.service) content.push(toYaml(this.service(pod, servicePortsOf(pod.spec.containers.flatMap((c) => c.ports ?? [])))))
    }
    content.push(...podDocs)
    const header = `# Save the output of this file and use kubectl create -f to import\n# it into Kubernetes.\n#\n# Created with ${input.version}\n`
    return header + content.join('---\n')
  }

  private wrap(pod: Pod): Pod | Deployment {
    return this.input.type === 'deployment' ? this.deployment(pod) : pod
  }

  /** A Deployment of the pod (Podman 4.5's `--type deployment`): one replica, selected by its app label. */
  deployment(pod: Pod): Deployment {
    const name = pod.metadata?.name ?? ''
    const labels = {...pod.metadata?.labels, app: name}
    const spec = {...pod.spec}
    // a Deployment's pods can only restart Always (Kubernetes' default)
    delete spec.restartPolicy
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {creationTimestamp: this.timestamp, labels, name: `${name}-deployment`},
      spec: {
        selector: {matchLabels: {app: name}},
        template: {metadata: {...pod.metadata, labels}, spec},
      },
    }
  }

  pvc(volume: VolumeRecord): PersistentVolumeClaim {
    const annotations: Record<string, string> = {[VOLUME_ANNOTATIONS.driver]: volume.driver}
    const keys: Record<string, string> = {o: VOLUME_ANNOTATIONS.mountOptions, device: VOLUME_ANNOTATIONS.device, type: VOLUME_ANNOTATIONS.type, UID: VOLUME_ANNOTATIONS.uid, GID: VOLUME_ANNOTATIONS.gid}
    for (const [k, v] of Object.entries(volume.options)) if (keys[k]) annotations[keys[k]] = v
    const labels = Object.keys(volume.labels).length > 0 ? volume.labels : undefined
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {annotations, creationTimestamp: this.timestamp, ...(labels ? {labels} : {}), name: volume.name},
      spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}},
      status: {},
    }
  }

  /** A NodePort Service for the pod's ports (node ports picked at random in 30000-32767, as Podman). */
  service(pod: Pod, ports: ReturnType<typeof servicePortsOf>): Service {
    const app = pod.metadata?.labels?.app ?? ''
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {creationTimestamp: this.timestamp, labels: {app}, name: pod.metadata?.name},
      spec: {ports, selector: {app}, type: 'NodePort'},
    }
  }

  private truncate(value: string): string {
    const trimmed = value.trim()
    if ([...trimmed].length < MAX_KUBE_ANNOTATION) return trimmed
    const cut = [...trimmed].slice(0, MAX_KUBE_ANNOTATION).join('')
    this.warnings.push(`Truncation Annotation: ${JSON.stringify(trimmed)} to ${JSON.stringify(cut)}: Kubernetes only allows ${MAX_KUBE_ANNOTATION} characters`)
    return cut
  }

  /** Containers outside pods: one Pod named after the first. */
  fromContainers(sources: ContainerSource[]): Pod {
    const annotations: Record<string, string> = {}
    const containers: Container[] = []
    const volumes: Volume[] = []
    const dns: PodDNSConfig = {}
    let hostname: string | undefined
    let hostNetwork = true
    for (const source of sources) {
      const {record} = source
      Object.assign(annotations, this.containerAnnotations(record))
      hostname ??= ownHostname(record)
      if (record.config.containerSpec.network.kind !== 'host') hostNetwork = false
      const {container, volumes: vols, bindOptions} = this.container(source)
      for (const [src, opt] of Object.entries(bindOptions)) annotations[BIND_MOUNT_ANNOTATION] = this.truncate(`${src}:${opt}`)
      containers.push(container)
      volumes.push(...vols)
      mergeDns(dns, record)
    }
    const names = sources.map((s) => kubeName(s.record.config.name))
    let podName = names[0]
    if (names.includes(podName)) podName += '-pod'
    return this.podObject(podName, annotations, containers, volumes, dns, hostNetwork, hostname)
  }

  /** A pod with its containers; the Service ports come from the infra container's. */
  fromPod(source: PodSource): {pod: Pod; servicePorts: ReturnType<typeof servicePortsOf>} {
    const {pod} = source
    const infra = source.containers.find((c) => c.record.config.id === pod.infraId)
    const members = source.containers.filter((c) => c !== infra).sort((a, b) => a.record.config.created.localeCompare(b.record.config.created))
    if (source.containers.length === 0) throw new TspodError(`pod ${pod.id} has no containers`)
    if (members.length === 0) throw new TspodError(`pod ${pod.id} only has an infra container`)
    const ports = infra ? containerPorts(infra.record.config.containerSpec.ports) : []
    const annotations: Record<string, string> = {}
    const containers: Container[] = []
    const volumes = new Map<string, Volume>()
    const sharesNet = pod.share.includes('net')
    const sharesUts = pod.share.includes('uts')
    let first = true
    let hostname = sharesUts ? (pod.hostname ?? pod.name) : undefined
    for (const member of members) {
      Object.assign(annotations, this.containerAnnotations(member.record))
      if (infra) {
        annotations[`io.kubernetes.cri-o.ContainerType/${kubeName(member.record.config.name)}`] = 'container'
        annotations[`io.kubernetes.cri-o.SandboxID/${kubeName(member.record.config.name)}`] = this.truncate(infra.record.config.id)
      }
      hostname ??= ownHostname(member.record)
      const {container, volumes: vols, bindOptions} = this.container(member)
      // kube play names a pod's containers POD-NAME: without that prefix, playing this YAML gives the same names back
      if (container.name.startsWith(`${kubeName(pod.name)}-`) && container.name.length > kubeName(pod.name).length + 1) container.name = container.name.slice(kubeName(pod.name).length + 1)
      for (const [src, opt] of Object.entries(bindOptions)) annotations[BIND_MOUNT_ANNOTATION] = this.truncate(`${src}:${opt}`)
      if (sharesNet) {
        delete container.ports
        if (first && ports.length > 0) {
          container.ports = ports
          first = false
        }
      }
      container.resources = {}
      containers.push(container)
      for (const v of vols) volumes.set(v.name, v)
    }
    const dns: PodDNSConfig = {}
    if (infra) mergeDns(dns, infra.record)
    const hostNetwork = infra?.record.config.containerSpec.network.kind === 'host'
    const kubePod = this.podObject(pod.name, annotations, containers, [...volumes.values()].sort((a, b) => a.name.localeCompare(b.name)), dns, hostNetwork, hostname)
    const aliases = infra?.record.config.containerSpec.extraHosts ?? []
    if (aliases.length > 0) kubePod.spec.hostAliases = aliases.map((h) => ({hostnames: [h.name], ip: h.ip}))
    kubePod.spec.restartPolicy = restartPolicy(members[0].record.config.containerSpec.restart?.policy)
    if (pod.share.includes('pid')) kubePod.spec.shareProcessNamespace = true
    kubePod.status = {}
    return {pod: kubePod, servicePorts: servicePortsOf(ports)}
  }

  private podObject(name: string, annotations: Record<string, string>, containers: Container[], volumes: Volume[], dns: PodDNSConfig, hostNetwork: boolean, hostname?: string): Pod {
    const spec: PodSpec = {automountServiceAccountToken: false, containers, enableServiceLinks: false}
    if (hostname) spec.hostname = hostname
    if (hostNetwork) spec.hostNetwork = true
    if (volumes.length > 0) spec.volumes = volumes
    if ((dns.nameservers?.length ?? 0) + (dns.searches?.length ?? 0) + (dns.options?.length ?? 0) > 0) spec.dnsConfig = dns
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(Object.keys(annotations).length > 0 ? {annotations} : {}),
        creationTimestamp: this.timestamp,
        labels: {app: kubeName(name)},
        name,
      },
      spec,
    }
  }

  /** What Podman keeps of a container as pod annotations (its OCI annotations). */
  private containerAnnotations(record: ContainerRecord): Record<string, string> {
    const name = kubeName(record.config.name)
    const spec = record.config.containerSpec
    const flag = (b: boolean | undefined) => (b ? 'TRUE' : 'FALSE')
    return {
      [`io.kubernetes.cri-o.TTY/${name}`]: String(spec.tty),
      [`io.podman.annotations.autoremove/${name}`]: flag(spec.autoRemove),
      [`io.podman.annotations.init/${name}`]: flag(spec.init),
      [`io.podman.annotations.privileged/${name}`]: flag(spec.privileged),
      [`io.podman.annotations.publish-all/${name}`]: 'FALSE',
    }
  }

  /** One container: its Kubernetes form, the pod volumes its mounts need, and z/Z bind options by source. */
  container(source: ContainerSource): {container: Container; volumes: Volume[]; bindOptions: Record<string, string>} {
    const {record, image} = source
    const spec = record.config.containerSpec
    const entrypoint = spec.entrypoint ?? image.Entrypoint ?? []
    const cmd = spec.command ?? (spec.entrypoint && spec.entrypoint.length > 0 ? [] : image.Cmd ?? [])
    let command: string[] | undefined
    let args: string[] | undefined
    if (entrypoint.length > 0 && !(entrypoint.length === 1 && entrypoint[0] === '')) {
      command = entrypoint
      args = cmd.length > 0 ? cmd : undefined
    } else {
      command = cmd.length > 0 ? cmd : undefined
    }
    if (command && (same(command, image.Cmd) || same(command, image.Entrypoint))) command = undefined

    const container: Container = {name: kubeName(record.config.name), image: record.config.imageName}
    if (command) container.command = command
    if (args) container.args = args
    const workdir = spec.workdir ?? image.WorkingDir ?? '/'
    if (workdir !== '/' && workdir !== (image.WorkingDir ?? '')) container.workingDir = workdir

    const imageEnv = new Map((image.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
    const env: EnvVar[] = spec.env.filter(([k, v]) => DEFAULT_ENV[k] !== v && imageEnv.get(k) !== v).map(([name, value]) => ({name, value}))
    if (env.length > 0) container.env = env

    const ports = containerPorts(spec.ports)
    if (ports.length > 0) container.ports = ports
    container.securityContext = this.securityContext(record, image)
    if (spec.interactive) container.stdin = true
    if (spec.tty) container.tty = true

    const {mounts, volumes, bindOptions} = kubeMounts(record)
    if (mounts.length > 0) container.volumeMounts = mounts
    return {container, volumes, bindOptions}
  }

  private securityContext(record: ContainerRecord, image: ImageConfig): SecurityContext {
    const spec = record.config.containerSpec
    const sc: SecurityContext = {}
    if (!spec.privileged) sc.capabilities = capAddDrop(record)
    if (spec.security.label !== undefined) {
      const [kind, value] = spec.security.label.split(':', 2)
      if (value !== undefined && (kind === 'type' || kind === 'level')) sc.seLinuxOptions = {[kind]: value}
      else if (kind === 'disable') sc.seLinuxOptions = {type: 'spc_t'}
    }
    if (record.config.spec.process?.noNewPrivileges) sc.allowPrivilegeEscalation = false
    if (spec.privileged) sc.privileged = true
    if (spec.readOnly) sc.readOnlyRootFilesystem = true
    if (spec.user !== undefined && spec.user !== '' && spec.user !== (image.User ?? '')) {
      sc.runAsUser = record.config.spec.process?.user.uid ?? 0
      sc.runAsGroup = record.config.spec.process?.user.gid ?? 0
    }
    return sc
  }
}

function same(a: string[] | undefined, b: string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i])
}

/** Kubernetes names have no underscores (Podman's removeUnderscores). */
export function kubeName(name: string): string {
  return name.replace(/_/g, '')
}

/** The hostname a container was given, unless it is the default (its ID's start). */
function ownHostname(record: ContainerRecord): string | undefined {
  const h = record.config.containerSpec.hostname ?? record.config.spec.hostname
  return h && !record.config.id.includes(h) ? h : undefined
}

function mergeDns(dns: PodDNSConfig, record: ContainerRecord): void {
  const spec = record.config.containerSpec
  for (const s of spec.dns ?? []) if (!(dns.nameservers ??= []).includes(s)) dns.nameservers.push(s)
  for (const s of spec.dnsSearch ?? []) if (!(dns.searches ??= []).includes(s)) dns.searches.push(s)
  for (const o of spec.dnsOption ?? []) {
    const [name, value] = o.split(':', 2)
    ;(dns.options ??= []).push(value === undefined ? {name} : {name, value})
  }
}

function restartPolicy(policy: string | undefined): string {
  switch (policy) {
    case 'always':
      return 'Always'
    case 'on-failure':
      return 'OnFailure'
    default:
      return 'Never'
  }
}

/** -p mappings as ports: one per port of a range and per protocol; TCP is Kubernetes' default and left out. */
export function containerPorts(mappings: PortMapping[]): ContainerPort[] {
  const out: ContainerPort[] = []
  for (const p of mappings) {
    for (let i = 0; i < p.range; i++) {
      const port: ContainerPort = {containerPort: p.containerPort + i}
      if (p.hostIP) port.hostIP = p.hostIP
      if (p.hostPort) port.hostPort = p.hostPort + i
      if (p.protocol !== 'tcp') port.protocol = p.protocol.toUpperCase()
      out.push(port)
    }
  }
  return out
}

function servicePortsOf(ports: ContainerPort[]): {name: string; nodePort: number; port: number; protocol?: string; targetPort: number}[] {
  const used = new Set<number>()
  return ports.map((p) => {
    let nodePort: number
    do nodePort = 30000 + Math.floor(Math.random() * (32767 - 30000 + 1))
    while (used.has(nodePort))
    used.add(nodePort)
    return {name: String(p.containerPort), nodePort, port: p.containerPort, ...(p.protocol ? {protocol: p.protocol} : {}), targetPort: p.containerPort}
  })
}

/** Capabilities against Kubernetes' default set: what the container lacks is dropped, what it has more is added. */
function capAddDrop(record: ContainerRecord): Capabilities {
  const caps = record.config.spec.process?.capabilities ?? {}
  const have = new Set([...(caps.ambient ?? []), ...(caps.bounding ?? []), ...(caps.effective ?? []), ...(caps.inheritable ?? []), ...(caps.permitted ?? [])])
  const drop = KUBE_DEFAULT_CAPS.filter((c) => !have.has(c))
  const add = [...have].filter((c) => !KUBE_DEFAULT_CAPS.includes(c))
  return {...(add.length > 0 ? {add} : {}), ...(drop.length > 0 ? {drop} : {})}
}

/** A name Kubernetes takes for a volume (a DNS label) from a host path. */
function volumeName(hostPath: string): string {
  if (hostPath === '/') return 'root'
  return hostPath.replace(/^\/+|\/+$/g, '').replace(/\//g, '-').toLowerCase().replace(/[^a-z0-9-]/g, '-')
}

/** Bind mounts as hostPath volumes (NAME-host-N), tmpfs as emptyDir in memory, named volumes as PVCs (NAME-pvc). */
function kubeMounts(record: ContainerRecord): {mounts: VolumeMount[]; volumes: Volume[]; bindOptions: Record<string, string>} {
  const mounts: VolumeMount[] = []
  const volumes: Volume[] = []
  const claims: {mount: VolumeMount; volume: Volume}[] = []
  const bindOptions: Record<string, string> = {}
  let index = 0
  for (const m of record.config.containerSpec.mounts) {
    if (m.type === 'volume') {
      const name = m.name || record.config.volumes.find((v) => v.destination === m.destination)?.name
      if (!name) continue
      const ro = m.options.includes('ro')
      const vname = `${volumeName(name)}-pvc`.slice(-63)
      claims.push({
        mount: {mountPath: m.destination, name: vname, ...(ro ? {readOnly: true} : {})},
        volume: {name: vname, persistentVolumeClaim: {claimName: name, ...(ro ? {readOnly: true} : {})}},
      })
      continue
    }
    const i = index++
    if (m.type === 'tmpfs') {
      const name = `${volumeName(m.destination)}-tmpfs-${i}`.slice(-63)
      mounts.push({mountPath: m.destination, name})
      volumes.push({emptyDir: {medium: 'Memory'}, name})
      continue
    }
    const zopt = m.options.find((o) => o === 'z' || o === 'Z')
    if (zopt) bindOptions[m.source] = zopt
    const name = `${volumeName(m.source)}-host-${i}`.slice(-63).replace(/^-+/, '')
    mounts.push({mountPath: m.destination, name, ...(m.options.includes('ro') ? {readOnly: true} : {})})
    volumes.push({hostPath: {path: m.source, type: hostPathType(m.source)}, name})
  }
  for (const c of claims) {
    mounts.push(c.mount)
    volumes.push(c.volume)
  }
  return {mounts, volumes, bindOptions}
}

function hostPathType(source: string): string {
  try {
    return fs.statSync(source).isDirectory() ? 'Directory' : 'File'
  } catch {
    return 'DirectoryOrCreate'
  }
}
