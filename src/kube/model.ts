// The Kubernetes objects tspod reads and writes (core/v1 and apps/v1), as far as kube generate
// and kube play use them: field names and shapes as Kubernetes' API defines them.

export interface ObjectMeta {
  name?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  creationTimestamp?: string | null
}

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata?: ObjectMeta
}

export interface EnvVar {
  name: string
  value?: string
  valueFrom?: {
    configMapKeyRef?: {name: string; key: string; optional?: boolean}
    fieldRef?: {fieldPath: string}
    secretKeyRef?: {name: string; key: string; optional?: boolean}
    resourceFieldRef?: unknown
  }
}

export interface EnvFromSource {
  prefix?: string
  configMapRef?: {name: string; optional?: boolean}
  secretRef?: {name: string; optional?: boolean}
}

export interface ContainerPort {
  name?: string
  containerPort: number
  hostPort?: number
  hostIP?: string
  protocol?: string
}

export interface VolumeMount {
  name: string
  mountPath: string
  readOnly?: boolean
  subPath?: string
  mountPropagation?: string
}

export interface Capabilities {
  add?: string[]
  drop?: string[]
}

export interface SELinuxOptions {
  user?: string
  role?: string
  type?: string
  level?: string
}

export interface SecurityContext {
  capabilities?: Capabilities
  privileged?: boolean
  readOnlyRootFilesystem?: boolean
  runAsUser?: number
  runAsGroup?: number
  allowPrivilegeEscalation?: boolean
  seLinuxOptions?: SELinuxOptions
}

export interface PodSecurityContext {
  runAsUser?: number
  runAsGroup?: number
  supplementalGroups?: number[]
  seLinuxOptions?: SELinuxOptions
}

export interface ResourceRequirements {
  limits?: Record<string, string | number>
  requests?: Record<string, string | number>
}

export interface Container {
  name: string
  image: string
  command?: string[]
  args?: string[]
  workingDir?: string
  env?: EnvVar[]
  envFrom?: EnvFromSource[]
  ports?: ContainerPort[]
  volumeMounts?: VolumeMount[]
  securityContext?: SecurityContext
  resources?: ResourceRequirements
  stdin?: boolean
  tty?: boolean
  imagePullPolicy?: string
}

export interface HostPathVolumeSource {
  path: string
  type?: string
}

export interface KeyToPath {
  key: string
  path: string
}

export interface Volume {
  name: string
  hostPath?: HostPathVolumeSource
  emptyDir?: {medium?: string; sizeLimit?: string}
  persistentVolumeClaim?: {claimName: string; readOnly?: boolean}
  configMap?: {name: string; items?: KeyToPath[]; optional?: boolean}
}

export interface HostAlias {
  ip: string
  hostnames: string[]
}

export interface PodDNSConfig {
  nameservers?: string[]
  searches?: string[]
  options?: {name: string; value?: string}[]
}

export interface PodSpec {
  containers: Container[]
  volumes?: Volume[]
  hostname?: string
  hostNetwork?: boolean
  hostAliases?: HostAlias[]
  restartPolicy?: string
  shareProcessNamespace?: boolean
  dnsConfig?: PodDNSConfig
  securityContext?: PodSecurityContext
  enableServiceLinks?: boolean
  automountServiceAccountToken?: boolean
}

export interface Pod extends KubeObject {
  spec: PodSpec
  status?: Record<string, never>
}

export interface Deployment extends KubeObject {
  spec: {
    replicas?: number
    selector?: {matchLabels?: Record<string, string>}
    template: {metadata?: ObjectMeta; spec: PodSpec}
  }
  status?: Record<string, never>
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: {
    accessModes?: string[]
    resources?: {requests?: Record<string, string>}
  }
  status?: Record<string, never>
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>
  binaryData?: Record<string, string>
}

export interface ServicePort {
  name?: string
  port: number
  protocol?: string
  targetPort?: number
  nodePort?: number
}

export interface Service extends KubeObject {
  spec: {
    ports: ServicePort[]
    selector: Record<string, string>
    type: string
  }
}

/** Podman's annotations on a PersistentVolumeClaim for what a PVC cannot say (pkg/util). */
export const VOLUME_ANNOTATIONS = {
  driver: 'volume.podman.io/driver',
  device: 'volume.podman.io/device',
  type: 'volume.podman.io/type',
  uid: 'volume.podman.io/uid',
  gid: 'volume.podman.io/gid',
  mountOptions: 'volume.podman.io/mount-options',
} as const

/** The annotation Podman keeps a bind mount's z/Z option in (libpod/define). */
export const BIND_MOUNT_ANNOTATION = 'bind-mount-options'

/** Kubernetes' limit on an annotation's value that Podman enforces (define.MaxKubeAnnotation). */
export const MAX_KUBE_ANNOTATION = 63
