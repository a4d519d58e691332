// `kube play`: Pods, Deployments, PersistentVolumeClaims and ConfigMaps from Kubernetes YAML, as
// Podman's pkg/domain/infra/abi/play.go plays them: a pod per Pod (a Deployment's one replica is
// the pod NAME-pod), its containers POD-CONTAINER, the container ports published on the infra
// container, PVCs as named volumes and ConfigMaps as env values or volumes of files.
// Everything is read and checked before anything is created.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../errors'
import type {ContainerOptions} from '../specgen/options'
import {type PodDocument, kindOf, readConfigMap, readDeployment, readPersistentVolumeClaim, readPod} from './read'
import {type ConfigMap, MAX_KUBE_ANNOTATION, type Container, type PodSpec, VOLUME_ANNOTATIONS, type Volume} from './model'
import {parseDocuments} from './yaml'

export interface PlayOptions {
  /** --start (default true) */
  start: boolean
  /** --network: the pods' network mode or networks */
  networks: string[]
  /** --publish: ports on top of (or in place of) the YAML's */
  publish: string[]
  /** --configmap files */
  configMapFiles: string[]
  /** --log-driver, --log-opt */
  logDriver?: string
  logOptions: string[]
  /** --userns */
  userns?: string
  /** --no-hosts */
  noHosts: boolean
  /** --annotation KEY=VALUE: on every pod's containers, on top of the YAML's */
  annotations?: Record<string, string>
  /** SELinux is enabled on the host (/sys/fs/selinux) */
  selinuxEnabled: boolean
}

/** One pod to create, all its parts checked. */
export interface PlannedPod {
  name: string
  labels: Record<string, string>
  hostname: string
  network?: string
  publish: string[]
  sharePid: boolean
  /** the pod's annotations (the YAML's and --annotation), which its containers carry */
  annotations: Record<string, string>
  /** hostPath sources to make first (DirectoryOrCreate, FileOrCreate) */
  hostPaths: {path: string; kind: 'directory' | 'file'}[]
  /** volumes made from ConfigMaps: name and files */
  configMapVolumes: {name: string; files: Record<string, string>}[]
  containers: {image: string; pullPolicy: string; options: ContainerOptions}[]
}

export interface PlayPlan {
  /** PersistentVolumeClaims: volumes to create */
  volumes: {name: string; labels: Record<string, string>; options: Record<string, string>; uid?: number; gid?: number}[]
  pods: PlannedPod[]
  warnings: string[]
}

/** `--annotation KEY=VALUE` flags: each needs its '=' and a value Kubernetes accepts (63 characters at most). */
export function parseAnnotationFlags(values: string[]): Record<string, string> {
  const annotations: Record<string, string> = {}
  for (const a of values) {
    const eq = a.indexOf('=')
    if (eq < 0) throw new UsageError(`annotation ${JSON.stringify(a)} must include an '=' sign`)
    const value = a.slice(eq + 1)
    if (value.length > MAX_KUBE_ANNOTATION) throw new UsageError(`annotation exceeds maximum size, ${MAX_KUBE_ANNOTATION}, of kubernetes annotation: ${value}`)
    annotations[a.slice(0, eq)] = value
  }
  return annotations
}

/** The pod names a YAML's Pods and Deployments become (what `kube down` removes). */
export function podNames(text: string): string[] {
  const names: string[] = []
  for (const doc of parseDocuments(text)) {
    const kind = kindOf(doc)
    if (kind === 'Pod') names.push(readPod(doc).metadata.name ?? '')
    else if (kind === 'Deployment') names.push(`${readDeployment(doc).metadata.name ?? ''}-pod`)
  }
  return names.filter((n) => n !== '')
}

/** Kinds tspod skips as Podman does: they describe the cluster, not what runs. */
const IGNORED_KINDS = ['Service']

export function planPlay(text: string, options: PlayOptions, readFile: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): PlayPlan {
  const plan: PlayPlan = {volumes: [], pods: [], warnings: []}
  const configMaps: ConfigMap[] = []
  const podDocs: {doc: PodDocument; name: string; annotations: Record<string, string>}[] = []
  for (const doc of parseDocuments(text)) {
    const kind = kindOf(doc)
    switch (kind) {
      case 'Pod': {
        const pod = readPod(doc)
        for (const [k, v] of Object.entries(pod.metadata.annotations ?? {}))
          if (v.length > MAX_KUBE_ANNOTATION) throw new UsageError(`invalid annotation ${JSON.stringify(k)}=${JSON.stringify(v)} value length exceeds Kubernetes max ${MAX_KUBE_ANNOTATION}`)
        if (!pod.metadata.name) throw new UsageError('pod does not have a name')
        podDocs.push({doc: pod, name: pod.metadata.name, annotations: pod.metadata.annotations ?? {}})
        break
      }
      case 'Deployment': {
        const dep = readDeployment(doc)
        if (!dep.metadata.name) throw new UsageError('deployment does not have a name')
        if ((dep.spec.replicas ?? 1) > 1) plan.warnings.push('Limiting replica count to 1, more than one replica is not supported by Podman')
        podDocs.push({doc: {metadata: {...dep.spec.template.metadata, name: `${dep.metadata.name}-pod`}, spec: dep.spec.template.spec}, name: `${dep.metadata.name}-pod`, annotations: dep.metadata.annotations ?? {}})
        break
      }
      case 'PersistentVolumeClaim': {
        const pvc = readPersistentVolumeClaim(doc)
        const name = pvc.metadata.name?.trim()
        if (!name) throw new UsageError('persistent volume claim name can not be empty')
        plan.volumes.push(volumeFromClaim(name, pvc.metadata.labels ?? {}, pvc.metadata.annotations ?? {}))
        break
      }
      case 'ConfigMap':
        configMaps.push(readConfigMap(doc))
        break
      default:
        if (IGNORED_KINDS.includes(kind)) break
        throw new UsageError(`kube kind ${kind || '(none)'} is not supported by tspod: Pod, Deployment, PersistentVolumeClaim and ConfigMap are`)
    }
  }
  for (const file of options.configMapFiles) {
    const docs = parseDocuments(readFile(file))
    for (const doc of docs) {
      if (kindOf(doc) !== 'ConfigMap') throw new UsageError(`${JSON.stringify(file)}: invalid YAML kind: ${JSON.stringify(kindOf(doc))}. [ConfigMap] is the only supported by --configmap`)
      const cm = readConfigMap(doc)
      if (configMaps.some((c) => c.metadata?.name === cm.metadata.name))
        throw new UsageError(`ambiguous configuration: the same config map ${cm.metadata.name} is present in YAML and in --configmaps ${file} file`)
      configMaps.push(cm)
    }
  }
  if (podDocs.length === 0 && plan.volumes.length === 0) {
    if (configMaps.length > 0) throw new UsageError('ConfigMaps in podman are not a standalone object and must be used in a container')
    throw new UsageError('YAML document does not contain any supported kube kind')
  }
  for (const p of podDocs) plan.pods.push(planPod(p.name, p.doc, p.annotations, configMaps, options))
  return plan
}

function volumeFromClaim(name: string, labels: Record<string, string>, annotations: Record<string, string>): PlayPlan['volumes'][number] {
  const options: Record<string, string> = {}
  let uid: number | undefined
  let gid: number | undefined
  for (const [k, v] of Object.entries(annotations)) {
    switch (k) {
      case VOLUME_ANNOTATIONS.driver:
        if (v !== 'local') throw new UsageError(`volume driver ${v} of ${name} is not supported by tspod: local is`)
        break
      case VOLUME_ANNOTATIONS.device:
        options.device = v
        break
      case VOLUME_ANNOTATIONS.type:
        options.type = v
        break
      case VOLUME_ANNOTATIONS.mountOptions:
        options.o = v
        break
      case VOLUME_ANNOTATIONS.uid:
      case VOLUME_ANNOTATIONS.gid: {
        if (!/^\d+$/.test(v)) throw new UsageError(`cannot convert ${k === VOLUME_ANNOTATIONS.uid ? 'uid' : 'gid'} ${v} to integer`)
        if (k === VOLUME_ANNOTATIONS.uid) uid = Number(v)
        else gid = Number(v)
        break
      }
    }
  }
  return {name, labels, options, uid, gid}
}

/** `--publish` and YAML ports keyed by container port and protocol, so a flag overrides the YAML. */
function portKey(spec: string): string {
  const [ports, proto = 'tcp'] = spec.split('/')
  const container = ports.split(':').at(-1) ?? ports
  return `${container}/${proto.toLowerCase()}`
}

function planPod(name: string, doc: PodDocument, annotations: Record<string, string>, configMaps: ConfigMap[], options: PlayOptions): PlannedPod {
  const spec = doc.spec
  const published = new Map<string, string>()
  for (const c of spec.containers)
    for (const p of c.ports ?? []) {
      const containerPort = p.containerPort || p.hostPort || 0
      const hostPort = p.hostPort || containerPort
      if (!containerPort) continue
      const proto = (p.protocol ?? 'tcp').toLowerCase()
      const text = `${p.hostIP ? `${p.hostIP}:` : ''}${hostPort}:${containerPort}/${proto}`
      published.set(portKey(text), text)
    }
  for (const p of options.publish) published.set(portKey(p), p)

  let network: string | undefined
  if (options.networks.length > 0) network = options.networks.join(',')
  else if (spec.hostNetwork) network = 'host'

  const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]))
  const configMapVolumes: PlannedPod['configMapVolumes'] = []
  for (const v of spec.volumes ?? []) {
    if (!v.configMap) continue
    const cm = configMaps.find((c) => c.metadata?.name === v.configMap?.name)
    if (!cm) {
      if (v.configMap.optional) continue
      throw new UsageError(`failed to create volume ${JSON.stringify(v.name)}: no such ConfigMap ${JSON.stringify(v.configMap.name)}`)
    }
    const data: Record<string, string> = {...cm.data}
    for (const [k, b64] of Object.entries(cm.binaryData ?? {})) {
      if (k in data) throw new UsageError(`the ConfigMap ${JSON.stringify(cm.metadata?.name)} is invalid: duplicate key ${JSON.stringify(k)} present in data and binaryData`)
      data[k] = Buffer.from(b64, 'base64').toString('binary')
    }
    const items = v.configMap.items ?? []
    const files = items.length > 0 ? Object.fromEntries(items.filter((i) => i.key in data).map((i) => [i.path, data[i.key]])) : data
    for (const f of Object.keys(files)) if (f.includes('/') || f === '..' || f === '.') throw new UsageError(`configMap item path ${JSON.stringify(f)} must be a file name`)
    configMapVolumes.push({name: v.configMap.name, files})
  }

  const hostPaths: PlannedPod['hostPaths'] = []
  for (const v of spec.volumes ?? []) {
    if (!v.hostPath) continue
    const kind = checkHostPath(v.hostPath.path, v.hostPath.type)
    if (kind) hostPaths.push({path: v.hostPath.path, kind})
  }

  const seen = new Set<string>()
  const containers = spec.containers.map((c) => {
    if (seen.has(c.name)) throw new UsageError(`the pod ${JSON.stringify(name)} is invalid; duplicate container name ${JSON.stringify(c.name)} detected`)
    seen.add(c.name)
    return planContainer(name, c, spec, volumes, configMaps, doc.metadata.labels ?? {}, annotations, options)
  })
  return {
    name,
    labels: doc.metadata.labels ?? {},
    hostname: spec.hostname || name,
    network,
    publish: [...published.values()],
    sharePid: spec.shareProcessNamespace === true,
    annotations: {...annotations, ...options.annotations},
    hostPaths,
    configMapVolumes,
    containers,
  }
}

const PULL_POLICIES: Record<string, string> = {always: 'always', ifnotpresent: 'missing', never: 'never'}

const RESTART_POLICIES: Record<string, string> = {Always: 'always', OnFailure: 'on-failure', Never: 'no'}

function planContainer(
  podName: string,
  c: Container,
  spec: PodSpec,
  volumes: Map<string, Volume>,
  configMaps: ConfigMap[],
  labels: Record<string, string>,
  annotations: Record<string, string>,
  options: PlayOptions,
): PlannedPod['containers'][number] {
  const env = new Map<string, string>()
  for (const e of c.env ?? []) {
    const value = envValue(e, configMaps, podName, labels, annotations)
    if (value !== undefined) env.set(e.name, value)
  }
  for (const from of c.envFrom ?? []) {
    if (!from.configMapRef) continue
    const cm = configMaps.find((m) => m.metadata?.name === from.configMapRef?.name)
    if (!cm) {
      if (from.configMapRef.optional) continue
      throw new UsageError(`configmap ${from.configMapRef.name} not found`)
    }
    for (const [k, v] of Object.entries(cm.data ?? {})) env.set(`${from.prefix ?? ''}${k}`, v)
  }

  const sc = c.securityContext
  const psc = spec.securityContext
  const runAsUser = sc?.runAsUser ?? psc?.runAsUser
  const runAsGroup = sc?.runAsGroup ?? psc?.runAsGroup
  let user: string | undefined = runAsUser === undefined ? undefined : String(runAsUser)
  if (runAsGroup !== undefined) user = `${user ?? '0'}:${runAsGroup}`
  const se = sc?.seLinuxOptions ?? psc?.seLinuxOptions
  const seLabels = se ? (['user', 'role', 'type', 'level'] as const).filter((k) => se[k]).map((k) => `${k}:${se[k]}`) : []
  // without SELinux on the host a label means nothing, as for Podman there; with it, tspod cannot apply one
  if (seLabels.length > 0 && options.selinuxEnabled) throw new UsageError(`seLinuxOptions (${seLabels.join(', ')}) are not supported by tspod: it applies no SELinux labels`)

  const mountVolumes: string[] = []
  const tmpfs: string[] = []
  for (const m of c.volumeMounts ?? []) {
    const source = volumes.get(m.name)
    if (!source) throw new UsageError(`volume mount ${m.name} specified for container but not configured in volumes`)
    const [destination, ...rest] = m.mountPath.split(':')
    if (rest.length > 1) throw new UsageError(`${JSON.stringify(m.mountPath)} incorrect volume format, should be ctr-dir[:option]`)
    const opts = rest.length > 0 ? rest[0].split(',') : []
    if (m.readOnly) opts.push('ro')
    if (m.mountPropagation) {
      const prop: Record<string, string> = {None: 'private', HostToContainer: 'rslave', Bidirectional: 'rshared'}
      if (!prop[m.mountPropagation]) throw new UsageError(`unknown propagation mode ${JSON.stringify(m.mountPropagation)}`)
      opts.push(prop[m.mountPropagation])
    }
    const suffix = opts.length > 0 ? `:${opts.join(',')}` : ''
    if (source.hostPath) {
      mountVolumes.push(`${source.hostPath.path}:${destination}${suffix}`)
    } else if (source.persistentVolumeClaim) {
      mountVolumes.push(`${source.persistentVolumeClaim.claimName}:${destination}${source.persistentVolumeClaim.readOnly && !opts.includes('ro') ? (suffix ? `${suffix},ro` : ':ro') : suffix}`)
    } else if (source.configMap) {
      if (!configMaps.some((cm) => cm.metadata?.name === source.configMap?.name)) continue
      mountVolumes.push(`${source.configMap.name}:${destination}${suffix}`)
    } else if (source.emptyDir?.medium === 'Memory') {
      tmpfs.push(opts.length > 0 ? `${destination}:${opts.join(',')}` : destination)
    } else if (source.emptyDir) {
      if (opts.length > 0) throw new UsageError(`${m.name}: options on an emptyDir volume are not supported by tspod`)
      mountVolumes.push(destination)
    }
  }

  const memory = c.resources?.limits?.memory
  const containerOptions: ContainerOptions = {
    name: `${podName}-${c.name}`,
    labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    env: [...env].map(([k, v]) => `${k}=${v}`),
    ...(c.command && c.command.length > 0 ? {entrypoint: JSON.stringify(c.command), args: c.args ?? []} : {args: c.args ?? []}),
    workdir: c.workingDir || undefined,
    tty: c.tty ?? false,
    interactive: c.stdin ?? false,
    capAdd: sc?.capabilities?.add ?? [],
    capDrop: sc?.capabilities?.drop ?? [],
    privileged: sc?.privileged ?? false,
    readOnly: sc?.readOnlyRootFilesystem ?? false,
    ...(sc?.allowPrivilegeEscalation === undefined ? {} : {noNewPrivileges: !sc.allowPrivilegeEscalation}),
    user,
    groupAdd: (psc?.supplementalGroups ?? []).map(String),
    volumes: mountVolumes,
    tmpfs,
    restart: RESTART_POLICIES[spec.restartPolicy ?? 'Always'] ?? 'always',
    logDriver: options.logDriver,
    logOptions: options.logOptions,
    noHosts: options.noHosts || undefined,
    ...(memory === undefined ? {} : {memory: String(quantityBytes(String(memory), `${c.name}: resources.limits.memory`))}),
  }
  if (spec.restartPolicy !== undefined && !(spec.restartPolicy in RESTART_POLICIES)) throw new UsageError(`invalid restartPolicy ${JSON.stringify(spec.restartPolicy)}: Always, OnFailure or Never`)
  const pullPolicy = c.imagePullPolicy === undefined ? 'newer' : PULL_POLICIES[c.imagePullPolicy.toLowerCase()]
  if (!pullPolicy) throw new UsageError(`unsupported pull policy ${JSON.stringify(c.imagePullPolicy)}`)
  return {image: c.image, pullPolicy, options: containerOptions}
}

function envValue(e: NonNullable<Container['env']>[number], configMaps: ConfigMap[], podName: string, labels: Record<string, string>, annotations: Record<string, string>): string | undefined {
  const ref = e.valueFrom?.configMapKeyRef
  if (ref) {
    const cm = configMaps.find((m) => m.metadata?.name === ref.name)
    const value = cm?.data?.[ref.key]
    if (value !== undefined) return value
    if (ref.optional) return undefined
    throw new UsageError(cm ? `cannot set env ${e.name}: key ${ref.key} not found in configmap ${ref.name}` : `cannot set env ${e.name}: configmap ${ref.name} not found`)
  }
  const field = e.valueFrom?.fieldRef?.fieldPath
  if (field !== undefined) {
    if (field === 'metadata.name') return podName
    const label = /^metadata\.labels\['(.+)'\]$/.exec(field)
    if (label) return labels[label[1]] ?? ''
    const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(field)
    if (annotation) return annotations[annotation[1]] ?? ''
    throw new UsageError(`can not set env ${e.name}. Reason: fieldPath ${field} is either not valid or not supported`)
  }
  return e.value ?? ''
}

/** A hostPath checked (absolute; a socket where its type says so); what must be made first, for the types that create. */
function checkHostPath(p: string, type: string | undefined): 'directory' | 'file' | undefined {
  if (!path.isAbsolute(p)) throw new UsageError(`in parsing HostPath in YAML: invalid host path, must be an absolute path ${JSON.stringify(p)}`)
  switch (type ?? '') {
    case 'DirectoryOrCreate':
      return 'directory'
    case 'FileOrCreate':
      return 'file'
    case 'Socket':
      if (!fs.statSync(p, {throwIfNoEntry: false})?.isSocket()) throw new UsageError(`checking HostPathSocket: path ${p} is not a socket`)
      return undefined
    case 'Directory':
    case 'File':
    case '':
      return undefined
    case 'CharDevice':
    case 'BlockDevice':
      throw new UsageError(`hostPath type ${type} is not supported by tspod`)
    default:
      throw new UsageError(`invalid HostPath type ${type}`)
  }
}

/** A Kubernetes quantity (128Mi, 1G, 500k, 1e6) in bytes. */
export function quantityBytes(q: string, what: string): number {
  const m = /^([0-9.]+(?:[eE][0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(q.trim())
  if (!m) throw new UsageError(`${what}: invalid quantity ${JSON.stringify(q)}`)
  const units: Record<string, number> = {Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18}
  return Math.ceil(Number(m[1]) * (m[2] ? units[m[2]] : 1))
}
