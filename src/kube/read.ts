// Kubernetes YAML documents read into tspod's model (model.ts), each field checked for its type.
// A field Kubernetes has and tspod cannot honour is an error naming it; a field Kubernetes does
// not know is ignored, as Podman's decoder ignores it.
import {UsageError} from '../errors'
import type {ConfigMap, Container, ContainerPort, Deployment, EnvFromSource, EnvVar, ObjectMeta, PersistentVolumeClaim, PodSpec, SecurityContext, Volume, VolumeMount} from './model'

type Doc = Record<string, unknown>

function isObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function fail(path: string, what: string): never {
  throw new UsageError(`${path}: ${what}`)
}

function object(v: unknown, path: string): Doc {
  if (v === undefined || v === null) return {}
  if (!isObject(v)) fail(path, 'must be a mapping')
  return v
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) fail(path, 'must be a list')
  return v
}

function str(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') fail(path, 'must be a string')
  return v
}

/** A scalar where Kubernetes wants a string (env values, ConfigMap data): numbers and booleans as written. */
function scalarText(v: unknown, path: string): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return str(v, path)
}

function int(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, 'must be an integer')
  return v
}

function bool(v: unknown, path: string): boolean | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') fail(path, 'must be true or false')
  return v
}

function strings(v: unknown, path: string): string[] | undefined {
  if (v === undefined || v === null) return undefined
  return list(v, path).map((s, i) => scalarText(s, `${path}[${i}]`) ?? '')
}

function stringMap(v: unknown, path: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined
  const o = object(v, path)
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, scalarText(x, `${path}.${k}`) ?? '']))
}

/** Fields Kubernetes defines that tspod does not carry out: an error names the first one set. */
function unsupported(o: Doc, path: string, fields: string[]): void {
  for (const f of fields) if (o[f] !== undefined && o[f] !== null) throw new UsageError(`${path}.${f} is not supported by tspod`)
}

function metadata(v: unknown, path: string): ObjectMeta {
  const o = object(v, path)
  return {name: str(o.name, `${path}.name`), labels: stringMap(o.labels, `${path}.labels`), annotations: stringMap(o.annotations, `${path}.annotations`)}
}

export function kindOf(doc: unknown): string {
  if (!isObject(doc)) throw new UsageError('unable to read kube YAML: a document is not a mapping')
  return str(doc.kind, 'kind') ?? ''
}

function envVar(v: unknown, path: string): EnvVar {
  const o = object(v, path)
  const name = str(o.name, `${path}.name`)
  if (!name) fail(`${path}.name`, 'is required')
  const env: EnvVar = {name, value: scalarText(o.value, `${path}.value`)}
  if (o.valueFrom !== undefined && o.valueFrom !== null) {
    const from = object(o.valueFrom, `${path}.valueFrom`)
    unsupported(from, `${path}.valueFrom`, ['secretKeyRef', 'resourceFieldRef'])
    env.valueFrom = {}
    if (from.configMapKeyRef !== undefined) {
      const ref = object(from.configMapKeyRef, `${path}.valueFrom.configMapKeyRef`)
      env.valueFrom.configMapKeyRef = {
        name: str(ref.name, `${path}.valueFrom.configMapKeyRef.name`) ?? '',
        key: str(ref.key, `${path}.valueFrom.configMapKeyRef.key`) ?? '',
        optional: bool(ref.optional, `${path}.valueFrom.configMapKeyRef.optional`),
      }
    }
    if (from.fieldRef !== undefined) env.valueFrom.fieldRef = {fieldPath: str(object(from.fieldRef, `${path}.valueFrom.fieldRef`).fieldPath, `${path}.valueFrom.fieldRef.fieldPath`) ?? ''}
  }
  return env
}

function envFrom(v: unknown, path: string): EnvFromSource {
  const o = object(v, path)
  unsupported(o, path, ['secretRef'])
  const out: EnvFromSource = {prefix: str(o.prefix, `${path}.prefix`)}
  if (o.configMapRef !== undefined) {
    const ref = object(o.configMapRef, `${path}.configMapRef`)
    out.configMapRef = {name: str(ref.name, `${path}.configMapRef.name`) ?? '', optional: bool(ref.optional, `${path}.configMapRef.optional`)}
  }
  return out
}

function port(v: unknown, path: string): ContainerPort {
  const o = object(v, path)
  return {
    name: str(o.name, `${path}.name`),
    containerPort: int(o.containerPort, `${path}.containerPort`) ?? 0,
    hostPort: int(o.hostPort, `${path}.hostPort`),
    hostIP: str(o.hostIP, `${path}.hostIP`),
    protocol: str(o.protocol, `${path}.protocol`),
  }
}

function volumeMount(v: unknown, path: string): VolumeMount {
  const o = object(v, path)
  unsupported(o, path, ['subPath', 'subPathExpr'])
  const name = str(o.name, `${path}.name`)
  const mountPath = str(o.mountPath, `${path}.mountPath`)
  if (!name) fail(`${path}.name`, 'is required')
  if (!mountPath) fail(`${path}.mountPath`, 'is required')
  return {name, mountPath, readOnly: bool(o.readOnly, `${path}.readOnly`), mountPropagation: str(o.mountPropagation, `${path}.mountPropagation`)}
}

function securityContext(v: unknown, path: string): SecurityContext | undefined {
  if (v === undefined || v === null) return undefined
  const o = object(v, path)
  unsupported(o, path, ['procMount', 'seccompProfile', 'windowsOptions', 'appArmorProfile', 'runAsNonRoot'])
  const caps = object(o.capabilities, `${path}.capabilities`)
  const se = object(o.seLinuxOptions, `${path}.seLinuxOptions`)
  return {
    capabilities: {add: strings(caps.add, `${path}.capabilities.add`), drop: strings(caps.drop, `${path}.capabilities.drop`)},
    privileged: bool(o.privileged, `${path}.privileged`),
    readOnlyRootFilesystem: bool(o.readOnlyRootFilesystem, `${path}.readOnlyRootFilesystem`),
    runAsUser: int(o.runAsUser, `${path}.runAsUser`),
    runAsGroup: int(o.runAsGroup, `${path}.runAsGroup`),
    allowPrivilegeEscalation: bool(o.allowPrivilegeEscalation, `${path}.allowPrivilegeEscalation`),
    seLinuxOptions: {user: str(se.user, `${path}.seLinuxOptions.user`), role: str(se.role, `${path}.seLinuxOptions.role`), type: str(se.type, `${path}.seLinuxOptions.type`), level: str(se.level, `${path}.seLinuxOptions.level`)},
  }
}

function container(v: unknown, path: string): Container {
  const o = object(v, path)
  unsupported(o, path, ['livenessProbe', 'lifecycle', 'volumeDevices'])
  const name = str(o.name, `${path}.name`)
  const image = str(o.image, `${path}.image`)
  if (!name) fail(`${path}.name`, 'is required')
  if (!image) fail(`${path}.image`, 'is required')
  const resources = object(o.resources, `${path}.resources`)
  const limits = object(resources.limits, `${path}.resources.limits`)
  for (const key of Object.keys(limits)) if (key !== 'memory') throw new UsageError(`${path}.resources.limits.${key} is not supported by tspod`)
  return {
    name,
    image,
    command: strings(o.command, `${path}.command`),
    args: strings(o.args, `${path}.args`),
    workingDir: str(o.workingDir, `${path}.workingDir`),
    env: list(o.env, `${path}.env`).map((e, i) => envVar(e, `${path}.env[${i}]`)),
    envFrom: list(o.envFrom, `${path}.envFrom`).map((e, i) => envFrom(e, `${path}.envFrom[${i}]`)),
    ports: list(o.ports, `${path}.ports`).map((p, i) => port(p, `${path}.ports[${i}]`)),
    volumeMounts: list(o.volumeMounts, `${path}.volumeMounts`).map((m, i) => volumeMount(m, `${path}.volumeMounts[${i}]`)),
    securityContext: securityContext(o.securityContext, `${path}.securityContext`),
    resources: {limits: stringMap(limits, `${path}.resources.limits`)},
    stdin: bool(o.stdin, `${path}.stdin`),
    tty: bool(o.tty, `${path}.tty`),
    imagePullPolicy: str(o.imagePullPolicy, `${path}.imagePullPolicy`),
  }
}

const VOLUME_SOURCES = ['hostPath', 'emptyDir', 'persistentVolumeClaim', 'configMap']

function volume(v: unknown, path: string): Volume {
  const o = object(v, path)
  const name = str(o.name, `${path}.name`)
  if (!name) fail(`${path}.name`, 'is required')
  const source = Object.keys(o).filter((k) => k !== 'name' && o[k] !== undefined && o[k] !== null)
  const other = source.find((k) => !VOLUME_SOURCES.includes(k))
  if (other) throw new UsageError(`${path}: volume source ${other} is not supported by tspod: hostPath, emptyDir, persistentVolumeClaim and configMap are`)
  const out: Volume = {name}
  if (o.hostPath !== undefined) {
    const h = object(o.hostPath, `${path}.hostPath`)
    out.hostPath = {path: str(h.path, `${path}.hostPath.path`) ?? '', type: str(h.type, `${path}.hostPath.type`)}
  } else if (o.emptyDir !== undefined) {
    const e = object(o.emptyDir, `${path}.emptyDir`)
    out.emptyDir = {medium: str(e.medium, `${path}.emptyDir.medium`)}
  } else if (o.persistentVolumeClaim !== undefined) {
    const c = object(o.persistentVolumeClaim, `${path}.persistentVolumeClaim`)
    const claimName = str(c.claimName, `${path}.persistentVolumeClaim.claimName`)
    if (!claimName) fail(`${path}.persistentVolumeClaim.claimName`, 'is required')
    out.persistentVolumeClaim = {claimName, readOnly: bool(c.readOnly, `${path}.persistentVolumeClaim.readOnly`)}
  } else if (o.configMap !== undefined) {
    const c = object(o.configMap, `${path}.configMap`)
    out.configMap = {
      name: str(c.name, `${path}.configMap.name`) ?? '',
      optional: bool(c.optional, `${path}.configMap.optional`),
      items: list(c.items, `${path}.configMap.items`).map((it, i) => {
        const item = object(it, `${path}.configMap.items[${i}]`)
        return {key: str(item.key, `${path}.configMap.items[${i}].key`) ?? '', path: str(item.path, `${path}.configMap.items[${i}].path`) ?? ''}
      }),
    }
  } else {
    throw new UsageError(`${path}: a volume needs a source: hostPath, emptyDir, persistentVolumeClaim or configMap`)
  }
  return out
}

export function podSpec(v: unknown, path: string): PodSpec {
  const o = object(v, path)
  unsupported(o, path, ['initContainers', 'ephemeralContainers', 'hostAliases', 'dnsConfig', 'hostPID', 'hostIPC', 'hostUsers'])
  const containers = list(o.containers, `${path}.containers`).map((c, i) => container(c, `${path}.containers[${i}]`))
  if (containers.length === 0) fail(`${path}.containers`, 'a pod needs at least one container')
  const sc = object(o.securityContext, `${path}.securityContext`)
  const se = object(sc.seLinuxOptions, `${path}.securityContext.seLinuxOptions`)
  return {
    containers,
    volumes: list(o.volumes, `${path}.volumes`).map((x, i) => volume(x, `${path}.volumes[${i}]`)),
    hostname: str(o.hostname, `${path}.hostname`),
    hostNetwork: bool(o.hostNetwork, `${path}.hostNetwork`),
    restartPolicy: str(o.restartPolicy, `${path}.restartPolicy`),
    shareProcessNamespace: bool(o.shareProcessNamespace, `${path}.shareProcessNamespace`),
    securityContext: {
      runAsUser: int(sc.runAsUser, `${path}.securityContext.runAsUser`),
      runAsGroup: int(sc.runAsGroup, `${path}.securityContext.runAsGroup`),
      supplementalGroups: list(sc.supplementalGroups, `${path}.securityContext.supplementalGroups`).map((g, i) => int(g, `${path}.securityContext.supplementalGroups[${i}]`) ?? 0),
      seLinuxOptions: {user: str(se.user, 'u'), role: str(se.role, 'r'), type: str(se.type, 't'), level: str(se.level, 'l')},
    },
  }
}

export interface PodDocument {
  metadata: ObjectMeta
  spec: PodSpec
}

export function readPod(doc: unknown): PodDocument {
  const o = object(doc, 'Pod')
  return {metadata: metadata(o.metadata, 'metadata'), spec: podSpec(o.spec, 'spec')}
}

export function readDeployment(doc: unknown): Deployment & {metadata: ObjectMeta} {
  const o = object(doc, 'Deployment')
  const spec = object(o.spec, 'spec')
  const template = object(spec.template, 'spec.template')
  return {
    metadata: metadata(o.metadata, 'metadata'),
    spec: {
      replicas: int(spec.replicas, 'spec.replicas'),
      template: {metadata: metadata(template.metadata, 'spec.template.metadata'), spec: podSpec(template.spec, 'spec.template.spec')},
    },
  }
}

export function readPersistentVolumeClaim(doc: unknown): PersistentVolumeClaim & {metadata: ObjectMeta} {
  const o = object(doc, 'PersistentVolumeClaim')
  return {metadata: metadata(o.metadata, 'metadata'), spec: {}}
}

export function readConfigMap(doc: unknown): ConfigMap & {metadata: ObjectMeta} {
  const o = object(doc, 'ConfigMap')
  return {metadata: metadata(o.metadata, 'metadata'), data: stringMap(o.data, 'data'), binaryData: stringMap(o.binaryData, 'binaryData')}
}
